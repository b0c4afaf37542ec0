import { isIndeterminate, type Operation } from './history';
import type { Model } from './model';

/** One partition's operations, with their indices in the whole history (`ids`) for the reader to find them by. */
export interface Partition<I, O> {
  readonly key: string;
  readonly ops: readonly Operation<I, O>[];
  readonly ids: readonly number[];
}

/**
 * Explains why a partition is not linearizable, for a human reading a failed simulation: the longest
 * linearizable prefix the search found, with the state after each operation; the operation whose
 * return came before it could be linearized after that prefix, and what the model made of each
 * operation that could have come next; then every operation of the partition by call time.
 * `longest` holds indices into `partition.ops`.
 */
export function explainFailure<S, I, O>(model: Model<S, I, O>, partition: Partition<I, O>, longest: readonly number[]): string {
  const { ops } = partition;
  const line = (i: number) => describeOp(model, ops[i], partition.ids[i]);
  const lines = [
    `partition ${JSON.stringify(partition.key)} is not linearizable: the longest linearizable prefix has ${longest.length} of its ${ops.length} operations.`,
    '',
    'Longest linearizable prefix, in order, with the state after each operation:',
  ];
  let state = model.init();
  longest.forEach((i, position) => {
    const next = model.step(state, ops[i].input, ops[i].output);
    if (!next.ok) throw new Error(`the model rejected ${line(i)} on replay: model.step must be a pure function`);
    state = next.state;
    lines.push(`  ${String(position + 1).padStart(4)}. ${line(i)}  ⇒ ${model.key(state)}`);
  });

  const inPrefix = new Map(longest.map((i, position) => [i, position + 1]));
  const rest = ops.map((_, i) => i).filter((i) => !inPrefix.has(i));
  const stuck = rest.filter((i) => !isIndeterminate(ops[i])).reduce((a, b) => (ops[b].return! < ops[a].return! ? b : a));
  lines.push('', `After it, in state ${model.key(state)}, nothing can be linearized before ${line(stuck)} returns.`, 'Operations that could come next:');
  for (const i of rest.filter((i) => ops[i].call <= ops[stuck].return!)) {
    const next = model.step(state, ops[i].input, ops[i].output);
    const after = next.ok ? model.key(next.state) : undefined;
    const verdict =
      after === undefined ? 'rejected by the model' : after === model.key(state) ? 'accepted, changing nothing' : `accepted (⇒ ${after}), but no linearization continues from there`;
    lines.push(`  ${line(i)}: ${verdict}`);
  }

  lines.push('', 'All operations of the partition by call time (✓n: n-th in the prefix):');
  const byCall = ops.map((_, i) => i).sort((a, b) => ops[a].call - ops[b].call || a - b);
  for (const i of byCall) {
    const position = inPrefix.get(i);
    lines.push(`  ${(position === undefined ? '' : `✓${position}`).padEnd(6)}${line(i)}`);
  }
  return lines.join('\n');
}

/** `#id client c [call..return] description`, with `?` for what an indeterminate operation never told. */
function describeOp<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>, id: number): string {
  const what = model.describe?.(op.input, op.output) ?? `${JSON.stringify(op.input)} → ${op.output === undefined ? '?' : JSON.stringify(op.output)}`;
  return `#${id} client ${op.client} [${op.call}..${op.return ?? '?'}] ${what}`;
}
