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
  /** True when the write must reach the disk before going on (entries, term, vote or snapshot changed). */
  readonly mustSync: boolean;
}

/** Whether two hard states are equal field by field. */
export function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
