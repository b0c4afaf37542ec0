/**
 * The deterministic state machine a replicated log drives. Every replica applies the same entries
 * in the same order and so reaches the same state.
 */
export interface StateMachine {
  /** Index of the last entry applied (0 before any). */
  readonly appliedIndex: number;
  /** Applies one committed entry. The result goes back to whoever proposed it. Must not throw for bad data. */
  apply(index: number, data: Uint8Array): unknown;
  /**
   * A serialized copy of the state at `appliedIndex` as it is when called. It may let other work run while
   * it serializes (a big state takes a while); entries applied meanwhile are not in it.
   */
  snapshot(): Promise<Uint8Array>;
  /** Replaces the state with a snapshot taken at `index`. */
  restore(index: number, data: Uint8Array): void;
}

/** A voting member of the consensus group. */
export interface ConsensusMember {
  /** The manager's node id. */
  readonly id: string;
  /** host:port of its cluster listener. */
  readonly addr: string;
}

/** A member as this member sees it. */
export interface MemberStatus extends ConsensusMember {
  /**
   * Heard from recently (within two election timeouts). Only a leader hears from every member, so only
   * a leader's view is complete; this member itself is always reachable.
   */
  readonly reachable: boolean;
}

/** Leadership and progress as this member sees them. */
export interface LogStatus {
  readonly memberId: string;
  readonly term: number;
  readonly leaderId?: string;
  /** The leader's cluster address, when a leader is known. */
  readonly leaderAddr?: string;
  readonly isLeader: boolean;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  /** The members in force (the newest list in this member's log). */
  readonly members: readonly MemberStatus[];
}

/** Settings of the consensus group that may change while it runs (`swarm update`). */
export interface ConsensusSettings {
  /** Ticks without a leader before campaigning (randomized up to twice that). */
  readonly electionTicks: number;
  /** Ticks between leader heartbeats; less than `electionTicks`. */
  readonly heartbeatTicks: number;
  /** Applied entries between snapshots. */
  readonly snapshotInterval: number;
}

/**
 * Consensus settings where the cluster sets none: a 100 ms tick, so a leader is elected 1–2 s after the
 * last one fell silent (swarm mode takes ~10 s); pre-vote and check-quorum keep that from flapping.
 */
export const DEFAULT_CONSENSUS_SETTINGS: ConsensusSettings = { electionTicks: 10, heartbeatTicks: 1, snapshotInterval: 10_000 };

/** Hears a member's read lease (see ReplicatedLog.watchReadLease): until when, or 0 for none. */
export type ReadLeaseListener = (until: number) => void;

/** Called when this member's view of leadership changes. */
export type LeadershipListener = (status: LogStatus) => void;

/**
 * Consensus provider (token `Tokens.Consensus`): a replicated, durable log that feeds a StateMachine.
 * store-raft implements it with Raft; a single-member log commits as soon as its own disk has the entry.
 * Writes may be proposed on any member: a follower forwards them to the leader.
 */
export interface ReplicatedLog {
  /** Recovers from disk (snapshot, then log) into `sm`, then starts taking part in consensus. */
  start(sm: StateMachine): Promise<void>;
  /**
   * Appends `data` to the log, through the leader. Resolves with the state machine's apply result once
   * the entry is committed (durable on a quorum) and applied on this member. Rejects when no leader is
   * known, when the entry is replaced by another, or on timeout (then the outcome is unknown).
   */
  propose(data: Uint8Array): Promise<unknown>;
  /**
   * Resolves once this member's state holds every write acknowledged (by any member) before the call, so
   * that a read of local state after it is linearizable (e.g. ReadIndex). Rejects when no leader confirms
   * in time.
   */
  readBarrier(): Promise<void>;
  /** Adds a member or changes its address (on the leader only); resolves once the change commits. */
  addMember(member: ConsensusMember): Promise<void>;
  /** Removes a member (on the leader only); resolves once the change commits. */
  removeMember(id: string): Promise<void>;
  /**
   * Hands leadership to `to`, or to the most up-to-date reachable member (on the leader only).
   * Resolves with the new leader's id.
   */
  transferLeadership(to?: string): Promise<string>;
  /** Applies new settings on this member. */
  configure(settings: Partial<ConsensusSettings>): void;
  /** Calls `listener` whenever the leader or this member's role changes. Returns an unsubscribe function. */
  watchLeadership(listener: LeadershipListener): () => void;
  /**
   * Optional: calls `listener` at once and whenever it changes with this member's read lease, the time
   * (on `monotonicMs()`'s clock, so valid in any thread) until which a read of its state needs no barrier:
   * while `monotonicMs()` is below it, every write acknowledged by any member has already been handed to
   * this member's state machine. 0 when there is none (a follower, or a leader not confirmed lately).
   * Another thread holding a copy of the state can serve linearizable reads from it this way.
   * Returns an unsubscribe function.
   */
  watchReadLease?(listener: ReadLeaseListener): () => void;
  status(): LogStatus;
  /** Stops ticking and closes files; pending proposals are rejected. */
  stop(): Promise<void>;
}
