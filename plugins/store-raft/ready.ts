import type { Message } from './messages';
import type { Entry, HardState, Snapshot } from './types';

/**
 * Work the Raft core hands its driver, to be done in this order: persist `snapshot`, `entries` and
 * `hardState` (fsync when `mustSync`), then send `messages`, then install `snapshot` and apply
 * `committed` to the state machine, then call `advance` with this same object.
 */
export interface Ready {
  /** Term, vote and commit to persist, when any changed since the last Ready. */
  readonly hardState?: HardState;
  /** Entries to persist, in order. An index already stored replaces the stored suffix from there. */
  readonly entries: readonly Entry[];
  /** A snapshot from the leader that replaces the whole log and the state machine's state. */
  readonly snapshot?: Snapshot;
  /** Committed entries to apply, in order. */
  readonly committed: readonly Entry[];
  /** Messages to send once everything above is durable. */
  readonly messages: readonly Message[];
  /** Reads this member asked for that may now be served, once `applied` reaches their index. */
  readonly reads: readonly ReadState[];
  /** Where the leader placed proposals this member forwarded (or why it refused them). */
  readonly placed: readonly Placement[];
  /** True when the write must reach the disk before going on (entries, term, vote or snapshot changed). */
  readonly mustSync: boolean;
}

/** A confirmed read: serve read `ctx` from state that has applied at least `index`. */
export interface ReadState {
  readonly ctx: string;
  readonly index: number;
}

/**
 * Forwarded proposals `ctx` are in the log from `index` on, in `term`; each outcome is the result of
 * applying its index if the entry there still has that term. With `refused`, they were not appended.
 */
export interface Placement {
  readonly ctx: string;
  readonly index: number;
  readonly term: number;
  readonly refused?: string;
}

/** Whether two hard states are equal field by field. */
export function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
