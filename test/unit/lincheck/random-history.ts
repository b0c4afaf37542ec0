import { seededRandom } from '../../../plugins/store-raft/random';
import type { Operation } from '../../sim/lincheck/history';
import type { KvInput, KvOutput } from '../../sim/lincheck/kv-model';

/** The shape of a generated history. */
export interface HistoryShape {
  readonly seed: number;
  /** How many operations clients issue. */
  readonly ops: number;
  readonly keys: number;
  readonly clients: number;
  /** The chance that a client gives up on an operation instead of waiting for its reply. */
  readonly giveUp: number;
}

/** An operation being generated: called, maybe applied, maybe returned. */
interface Pending {
  readonly client: number;
  readonly input: KvInput;
  readonly call: number;
  output?: KvOutput;
  return?: number;
}

/**
 * A history of a real, sequential key-value store that clients use concurrently: each call takes
 * effect at one moment between its call and its return, so the history is linearizable. Clients
 * sometimes give up on an operation; one that had not taken effect yet may take effect later, long
 * after, or never. Every write writes a value never written before. Times advance by 0 or 1 per
 * event, so equal times are common.
 */
export function randomKvHistory(shape: HistoryShape): Operation<KvInput, KvOutput>[] {
  const rand = seededRandom(shape.seed);
  const below = (n: number) => Math.floor(rand() * n);
  const store = new Map<string, string>();
  const history: Pending[] = [];
  /** Per client: its outstanding operation and whether it took effect. */
  const outstanding = new Map<number, { op: Pending; applied: boolean }>();
  /** Operations whose clients gave up before they took effect. */
  let abandoned: Pending[] = [];
  let time = 0;
  let written = 0;

  const apply = (op: Pending): KvOutput => {
    const current = store.get(op.input.key);
    switch (op.input.op) {
      case 'get':
        return current === undefined ? {} : { value: current };
      case 'put':
        store.set(op.input.key, op.input.value);
        return {};
      case 'cas':
        if (current !== op.input.expect) return { ok: false };
        store.set(op.input.key, op.input.value);
        return { ok: true };
    }
  };
  const newInput = (): KvInput => {
    const key = `k${below(shape.keys)}`;
    const roll = rand();
    if (roll < 0.5) return { op: 'get', key };
    const value = `v${written++}`;
    if (roll < 0.8) return { op: 'put', key, value };
    const current = store.get(key);
    const expect = rand() < 0.6 || written < 2 ? current : rand() < 0.2 ? undefined : `v${below(written - 1)}`;
    return { op: 'cas', key, expect, value };
  };

  while (history.length < shape.ops || outstanding.size > 0) {
    time += below(2);
    if (abandoned.length > 0 && rand() < 0.02) {
      const late = abandoned[below(abandoned.length)];
      abandoned = abandoned.filter((op) => op !== late);
      if (rand() < 0.7) apply(late);
      continue;
    }
    const client = below(shape.clients);
    const mine = outstanding.get(client);
    if (mine === undefined) {
      if (history.length === shape.ops) continue;
      const op: Pending = { client, input: newInput(), call: time };
      history.push(op);
      outstanding.set(client, { op, applied: false });
    } else if (rand() < shape.giveUp) {
      outstanding.delete(client);
      if (!mine.applied) abandoned.push(mine.op);
    } else if (!mine.applied) {
      mine.op.output = apply(mine.op);
      mine.applied = true;
    } else {
      mine.op.return = time;
      outstanding.delete(client);
    }
  }
  // Outputs of operations whose clients gave up were never seen.
  return history.map((op) => (op.return === undefined ? { client: op.client, input: op.input, call: op.call } : op));
}

/**
 * Makes a completed get return a value that a later completed write had already overwritten before
 * the get was called: a stale read no linearization can explain. Picks among the candidates with
 * `seed`; undefined if the history has none.
 */
export function plantStaleRead(history: readonly Operation<KvInput, KvOutput>[], seed: number): { history: Operation<KvInput, KvOutput>[]; index: number } | undefined {
  const wrote = (op: Operation<KvInput, KvOutput>) =>
    op.return !== undefined && (op.input.op === 'put' || (op.input.op === 'cas' && (op.output as { ok: boolean }).ok));
  const candidates: { index: number; value: string }[] = [];
  history.forEach((get, index) => {
    if (get.input.op !== 'get' || get.return === undefined) return;
    const key = get.input.key;
    const writes = history.filter((w) => w.input.key === key && wrote(w));
    for (const overwritten of writes) {
      if (writes.some((later) => overwritten.return! < later.call && later.return! < get.call)) {
        candidates.push({ index, value: (overwritten.input as { value: string }).value });
      }
    }
  });
  if (candidates.length === 0) return undefined;
  const { index, value } = candidates[Math.floor(seededRandom(seed)() * candidates.length)];
  return { history: history.map((op, i) => (i === index ? { ...op, output: { value } } : op)), index };
}
