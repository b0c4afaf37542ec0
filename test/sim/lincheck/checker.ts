import { explainFailure, type Partition } from './explain';
import { assertWellFormed, type Operation } from './history';
import type { Model } from './model';
import { search } from './search';

/** Options for {@link checkLinearizable}. */
export interface CheckOptions {
  /** Gives up, answering `unknown`, after this long; no limit if absent. */
  readonly timeoutMs?: number;
}

/**
 * A verdict on a history: linearizable; not, with the first partition found not to be and a
 * human-readable account of why; or unknown, when the time ran out first.
 */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly partition: string; readonly explanation: string } | { readonly ok: 'unknown' };

/** Splits a history by `model.partition`, in order of each partition's first operation. */
function partitionHistory<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): Partition<I, O>[] {
  const byKey = new Map<string, { key: string; ops: Operation<I, O>[]; ids: number[] }>();
  ops.forEach((op, id) => {
    const key = model.partition?.(op.input) ?? '';
    let partition = byKey.get(key);
    if (partition === undefined) byKey.set(key, (partition = { key, ops: [], ids: [] }));
    partition.ops.push(op);
    partition.ids.push(id);
  });
  return [...byKey.values()];
}

/**
 * Checks whether a history of operations is linearizable with respect to `model`: whether each
 * operation can be given a moment between its call and return at which it took effect, so that the
 * outputs are those of the model applied in that order. Operations that never returned may take
 * effect at any moment after their call, with any output, or not at all. Each partition of the
 * history is checked on its own (see {@link Model.partition}). Throws if the history is malformed
 * (see {@link assertWellFormed}).
 */
export function checkLinearizable<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], options: CheckOptions = {}): CheckResult {
  ops.forEach(assertWellFormed);
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  for (const partition of partitionHistory(model, ops)) {
    const result = search(model, partition.ops, deadline);
    if (result.kind === 'timeout') return { ok: 'unknown' };
    if (result.kind === 'not-linearizable') return { ok: false, partition: partition.key, explanation: explainFailure(model, partition, result.longest) };
  }
  return { ok: true };
}
