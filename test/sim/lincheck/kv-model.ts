import type { Model, StepResult } from './model';

/** An operation on a key-value store: read a key, write it, or write it only if it holds `expect`. */
export type KvInput =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | {
      readonly op: 'cas';
      readonly key: string;
      /** The value the key must hold for the write to happen; undefined means it must be absent. */
      readonly expect: string | undefined;
      readonly value: string;
    };

/** A get's reply: the value, absent if the key has none. */
export type KvGetOutput = { readonly value?: string };
/** A put's reply: nothing beyond having returned. */
export type KvPutOutput = Record<string, never>;
/** A cas's reply: whether the key held `expect`, so the write happened. */
export type KvCasOutput = { readonly ok: boolean };
export type KvOutput = KvGetOutput | KvPutOutput | KvCasOutput;

/** The value of the one key a partition holds; undefined if absent. */
export type KvState = string | undefined;

const accept = (state: KvState): StepResult<KvState> => ({ ok: true, state });
const REJECT: StepResult<KvState> = { ok: false };

/** Shows a value the way failure explanations print it. */
const show = (value: string | undefined): string => (value === undefined ? 'absent' : JSON.stringify(value));

function casSucceeded(output: KvOutput): boolean {
  if (!('ok' in output) || typeof output.ok !== 'boolean') throw new Error(`cas output ${JSON.stringify(output)} has no boolean "ok"`);
  return output.ok;
}

function describeCall(input: KvInput): string {
  switch (input.op) {
    case 'get':
      return `get(${input.key})`;
    case 'put':
      return `put(${input.key}, ${show(input.value)})`;
    case 'cas':
      return `cas(${input.key}, ${show(input.expect)} → ${show(input.value)})`;
  }
}

function describeReply(input: KvInput, output: KvOutput): string {
  switch (input.op) {
    case 'get':
      return show((output as KvGetOutput).value);
    case 'put':
      return 'ok';
    case 'cas':
      return String(casSucceeded(output));
  }
}

/**
 * A linearizable key-value store with get, put and compare-and-set, partitioned by key: each key is a
 * register checked on its own.
 */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => undefined,

  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return output === undefined || (output as KvGetOutput).value === state ? accept(state) : REJECT;
      case 'put':
        return accept(input.value);
      case 'cas': {
        const matches = state === input.expect;
        if (output !== undefined && casSucceeded(output) !== matches) return REJECT;
        return accept(matches ? input.value : state);
      }
    }
  },

  key: show,

  partition: (input) => input.key,

  describe(input, output) {
    return `${describeCall(input)} → ${output === undefined ? '?' : describeReply(input, output)}`;
  },
};
