import { Bitset } from './bitset';
import { EventList, type EventNode } from './events';
import { isIndeterminate, type Operation } from './history';
import { Memo, type Visit } from './memo';
import type { Model } from './model';

/** What searching one partition found. */
export type SearchResult =
  | { readonly kind: 'linearizable' }
  /**
   * `longest`: a linearization of as many returned operations as the search could find, with as few
   * of the others as it found one with: operation indices, in order.
   */
  | { readonly kind: 'not-linearizable'; readonly longest: readonly number[] }
  | { readonly kind: 'timeout' };

/** Operations of one kind (returned, or never returned), their events, and which of them are linearized. */
class Group<I, O> {
  /** Each operation's index in the history being searched. */
  readonly indices: readonly number[];
  readonly ops: readonly Operation<I, O>[];
  readonly events: EventList;
  readonly linearized: Bitset;

  constructor(history: readonly Operation<I, O>[], member: (op: Operation<I, O>) => boolean) {
    this.indices = history.flatMap((op, i) => (member(op) ? [i] : []));
    this.ops = this.indices.map((i) => history[i]);
    this.events = new EventList(this.ops);
    this.linearized = new Bitset(this.ops.length);
  }
}

/** A choice the search made and may undo: the operation it linearized, and where the search stood before. */
interface Frame<S, I, O> {
  readonly group: Group<I, O>;
  readonly op: number;
  readonly state: S;
  readonly stateKey: string;
  /** The configuration linearizing the operation reached. */
  readonly visit: Visit;
  /** For an optional operation: the time of the first required return, which it was linearized before. */
  readonly limit: number;
}

/**
 * Whether linearizing optional `op` reaches `nextKey`, a state it could reach without some of the
 * optional operations linearized since the last required one. That configuration, with fewer
 * optional operations, is a candidate of the search's earlier choice too and can do everything this
 * one can, so this one needs no exploring.
 */
function bypassesChain<S, I, O>(model: Model<S, I, O>, stack: readonly Frame<S, I, O>[], optional: Group<I, O>, op: Operation<I, O>, nextKey: string): boolean {
  for (let i = stack.length - 1; i >= 0 && stack[i].group === optional; i--) {
    const skipped = model.step(stack[i].state, op.input, op.output);
    if (skipped.ok && model.key(skipped.state) === nextKey) return true;
  }
  return false;
}

/** How many steps the search takes between looks at the clock. */
const STEPS_PER_CLOCK_CHECK = 1024;

/**
 * Looks for a linearization of `ops` (one partition) under `model`: Wing & Gong's search with Lowe's
 * memoization. From the current linearization, the candidates to extend it are the operations called
 * before the earliest return of an operation it lacks. The search linearizes the first candidate the
 * model accepts that leads to a configuration not explored before, and looks again; when no
 * candidate is left, it undoes its last choice and tries the candidates after that one.
 *
 * Operations that never returned are optional: the search succeeds once every operation that
 * returned is linearized. It tries them only after the others, and never one that would leave the
 * state as it was (an indeterminate read, a failed compare-and-set), which could only narrow what
 * follows, or one whose state it could reach without optional operations just before it (see
 * `bypassesChain`); see {@link Memo} for how it prunes configurations that differ only in optional
 * operations. Gives up with `timeout` once `Date.now()` reaches `deadline`.
 */
export function search<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], deadline: number): SearchResult {
  const required = new Group(ops, (op) => !isIndeterminate(op));
  const optional = new Group(ops, isIndeterminate);
  const memo = new Memo(required.linearized.words.length, optional.linearized.words.length);
  const stack: Frame<S, I, O>[] = [];
  let remaining = required.ops.length;
  let longest: readonly number[] = [];
  let mostLinearized = -1;
  let state = model.init();
  let stateKey = model.key(state);
  // The scan: required calls up to the first required return, then optional calls up to `limit`, its time.
  let group = required;
  let entry: EventNode | null = required.events.first();
  let limit = 0;
  let steps = 0;

  while (remaining > 0) {
    if (steps++ % STEPS_PER_CLOCK_CHECK === 0 && Date.now() >= deadline) return { kind: 'timeout' };
    if (entry !== null && entry.isCall && (group === required || entry.time <= limit)) {
      const op = group.ops[entry.op];
      const next = model.step(state, op.input, op.output);
      if (next.ok) {
        const nextKey = model.key(next.state);
        if (group === required || (nextKey !== stateKey && !bypassesChain(model, stack, optional, op, nextKey))) {
          group.linearized.add(entry.op);
          const visit = memo.visit(required.linearized, optional.linearized, nextKey);
          if (visit !== undefined) {
            stack.push({ group, op: entry.op, state, stateKey, visit, limit });
            group.events.lift(entry.op);
            if (group === required) remaining--;
            state = next.state;
            stateKey = nextKey;
            group = required;
            entry = required.events.first();
            continue;
          }
          group.linearized.remove(entry.op);
        }
      }
      entry = entry.next;
    } else if (group === required) {
      // The first required return (there is one while required operations remain): now the optional calls before it.
      limit = entry!.time;
      group = optional;
      entry = optional.events.first();
    } else {
      const linearized = required.ops.length - remaining;
      if (linearized > mostLinearized || (linearized === mostLinearized && stack.length < longest.length)) {
        mostLinearized = linearized;
        longest = stack.map((frame) => frame.group.indices[frame.op]);
      }
      const frame = stack.pop();
      if (frame === undefined) return { kind: 'not-linearizable', longest };
      memo.fail(frame.visit);
      frame.group.events.unlift(frame.op);
      frame.group.linearized.remove(frame.op);
      if (frame.group === required) remaining++;
      state = frame.state;
      stateKey = frame.stateKey;
      group = frame.group;
      limit = frame.limit;
      entry = group.events.callOf(frame.op).next;
    }
  }
  return { kind: 'linearizable' };
}
