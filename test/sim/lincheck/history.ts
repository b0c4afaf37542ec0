/**
 * One client operation as observed from outside the system: when the client called it, what it asked,
 * and, if the client saw a reply, what the reply was and when it came.
 *
 * Times are logical and only compared: operation A precedes operation B exactly when
 * `A.return < B.call`. Equal times never order two operations (a return and a call at the same time
 * are concurrent), so a recorder may stamp several events with one clock reading.
 *
 * An operation without `return` is indeterminate (the client crashed or gave up waiting): it may have
 * taken effect at any point after its call, or never, and its output is unknown, so it has none.
 * An operation with `return` but no `output` completed with an unknown output.
 */
export interface Operation<I, O> {
  /** Which client issued the operation; only used to describe the history. */
  readonly client: number;
  readonly input: I;
  /** When the client issued the call. */
  readonly call: number;
  readonly output?: O;
  /** When the client received the reply; absent if it never did. */
  readonly return?: number;
}

/** Whether an operation never returned, so it may or may not have taken effect. */
export function isIndeterminate(op: Operation<unknown, unknown>): boolean {
  return op.return === undefined;
}

/** Throws if an operation cannot have been recorded: times that are not numbers, a return before its call, or an output without a return. */
export function assertWellFormed(op: Operation<unknown, unknown>, index: number): void {
  if (!Number.isFinite(op.call)) throw new Error(`operation #${index}: call time ${op.call} is not a finite number`);
  if (op.return === undefined) {
    if (op.output !== undefined) throw new Error(`operation #${index}: has an output but no return time`);
    return;
  }
  if (!Number.isFinite(op.return)) throw new Error(`operation #${index}: return time ${op.return} is not a finite number`);
  if (op.return < op.call) throw new Error(`operation #${index}: returns at ${op.return}, before its call at ${op.call}`);
}
