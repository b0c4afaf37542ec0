/**
 * The deterministic state machine a replicated log drives. Every replica applies the same entries
 * in the same order and so reaches the same state.
 */
export interface StateMachine {
  /** Index of the last entry applied (0 before any). */
  readonly appliedIndex: number;
  /** Applies one committed entry. The result goes back to whoever proposed it. Must not throw for bad data. */
  apply(index: number, data: Uint8Array): unknown;
  /** A serialized copy of the state at `appliedIndex`. */
  snapshot(): Uint8Array;
  /** Replaces the state with a snapshot taken at `index`. */
  restore(index: number, data: Uint8Array): void;
}

/** Leadership as this member sees it. */
export interface LogStatus {
  readonly memberId: string;
  readonly term: number;
  readonly leaderId?: string;
  readonly isLeader: boolean;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly members: readonly string[];
}

/**
 * Consensus provider (token `Tokens.Consensus`): a replicated, durable log that feeds a StateMachine.
 * store-raft implements it with Raft; a single-member log commits as soon as its own disk has the entry.
 */
export interface ReplicatedLog {
  /** Recovers from disk (snapshot, then log) into `sm`, then starts taking part in consensus. */
  start(sm: StateMachine): Promise<void>;
  /**
   * Appends `data` to the log. Resolves with the state machine's apply result once the entry is
   * committed (durable on a quorum) and applied locally. Rejects if this member is not the leader
   * or loses leadership before the entry commits.
   */
  propose(data: Uint8Array): Promise<unknown>;
  status(): LogStatus;
  /** Stops ticking and closes files; pending proposals are rejected. */
  stop(): Promise<void>;
}
