/** A read the leader has fixed an index for and waits to confirm (Raft §6.4). */
interface PendingRead {
  readonly ctx: string;
  /** The member that asked (the leader itself, or a follower). */
  readonly from: string;
  /** The commit index when the read arrived: the state to serve it from. */
  readonly index: number;
  /** The heartbeat round whose answers confirm it. */
  readonly round: number;
  readonly acks: Set<string>;
}

/** A read that can be served: `from` may answer `ctx` once it has applied `index`. */
export interface ConfirmedRead {
  readonly ctx: string;
  readonly from: string;
  readonly index: number;
}

/**
 * The leader's ReadIndex bookkeeping. Each read is tied to a heartbeat round opened after it arrived;
 * once a quorum has answered that round (or a later one), no other leader can have committed anything
 * the read's index misses, so it is confirmed. Reads that arrive before the leader has committed an
 * entry of its own term wait for that commit, since until then its commit index may be behind.
 */
export class PendingReads {
  private round = 0;
  private pending: PendingRead[] = [];
  private early: { ctx: string; from: string }[] = [];

  /** The newest round; heartbeats carry it. */
  get currentRound(): number {
    return this.round;
  }

  /** Holds a read until the leader commits in its term. */
  defer(ctx: string, from: string): void {
    this.early.push({ ctx, from });
  }

  /** Reads deferred until the first commit of the term; they are forgotten here. */
  takeDeferred(): { ctx: string; from: string }[] {
    const early = this.early;
    this.early = [];
    return early;
  }

  /** Opens a new round for a read at `index`; the leader's own acknowledgement counts at once. */
  open(ctx: string, from: string, index: number, self: string): number {
    this.round++;
    this.pending.push({ ctx, from, index, round: this.round, acks: new Set([self]) });
    return this.round;
  }

  /**
   * Records that `member` answered a heartbeat of `round`. Returns the reads now confirmed, oldest first.
   * @param hasQuorum whether a set of members is a quorum of voters
   */
  ack(member: string, round: number, hasQuorum: (acks: ReadonlySet<string>) => boolean): ConfirmedRead[] {
    for (const r of this.pending) if (r.round <= round) r.acks.add(member);
    return this.release(hasQuorum);
  }

  /** Confirms reads from the front whose quorum is complete (membership may have shrunk). */
  release(hasQuorum: (acks: ReadonlySet<string>) => boolean): ConfirmedRead[] {
    let n = 0;
    while (n < this.pending.length && hasQuorum(this.pending[n].acks)) n++;
    return this.pending.splice(0, n).map(({ ctx, from, index }) => ({ ctx, from, index }));
  }

  /** Forgets everything (leadership ended; askers time out and retry elsewhere). */
  clear(): void {
    this.pending = [];
    this.early = [];
  }
}
