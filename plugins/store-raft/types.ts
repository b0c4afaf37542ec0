/**
 * What a log entry carries: `data` is a client's proposal for the state machine; `noop` is the empty
 * entry a new leader appends so that it can commit entries of earlier terms; `config` holds the full
 * member list (see membership.ts), in force from the moment it is in a member's log.
 */
export type EntryKind = 'data' | 'noop' | 'config';

/** A voting member of the Raft group and the address other members reach it at. */
export interface Member {
  readonly id: string;
  /** host:port of its cluster listener (empty where no transport needs one, as in simulations). */
  readonly addr: string;
}

/** One entry of the replicated log. */
export interface Entry {
  readonly index: number;
  readonly term: number;
  readonly kind: EntryKind;
  /** The proposal (empty for a `noop`). */
  readonly data: Uint8Array;
}

/** The part of a member's Raft state that must survive a crash. */
export interface HardState {
  readonly term: number;
  /** The member voted for in `term`, if any. */
  readonly vote?: string;
  /** Highest index known to be committed (may lag after a crash; it is recomputed). */
  readonly commit: number;
}

/** Where a snapshot sits in the log: it replaces every entry up to and including `index`. */
export interface SnapshotMeta {
  readonly index: number;
  /** Term of the entry at `index`. */
  readonly term: number;
  /** The member list in force at `index`. */
  readonly members: readonly Member[];
}

/** A state-machine snapshot and its place in the log. */
export interface Snapshot extends SnapshotMeta {
  readonly data: Uint8Array;
}

/** The empty hard state of a member that has never run. */
export const INITIAL_HARD_STATE: HardState = { term: 0, commit: 0 };
