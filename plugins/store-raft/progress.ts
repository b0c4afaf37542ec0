/**
 * How the leader feeds one follower: `probe` sends one append at a time until it finds where the logs
 * match; `replicate` streams appends optimistically; `snapshot` waits for an InstallSnapshot to land.
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** The leader's view of one member's log. */
export class Progress {
  /** Highest index known to match the leader's log. */
  match = 0;
  state: ProgressState = 'probe';
  /** In `probe`: an append is in flight and unanswered, so send no other. */
  private paused = false;
  /** Index of the snapshot in flight, in `snapshot` state. */
  pendingSnapshot = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** In `replicate`: the last index and the bytes of each append in flight, oldest first (the pipeline window). */
  private inflight: { readonly last: number; readonly bytes: number }[] = [];
  private inflightBytes = 0;

  /**
   * @param next index of the next entry to send
   * @param maxInflight most appends with entries in flight at once while replicating
   * @param maxInflightBytes most bytes of entries in flight at once while replicating (beyond the first
   *   append): what is queued towards a member is bounded, so a heartbeat never waits behind much of it
   */
  constructor(
    public next: number,
    private readonly maxInflight = 256,
    private readonly maxInflightBytes = Infinity,
  ) {}

  /** True when nothing should be sent until the member answers. */
  get isPaused(): boolean {
    if (this.state === 'replicate') return this.full;
    return this.state === 'snapshot' || this.paused;
  }

  private get full(): boolean {
    return this.inflight.length >= this.maxInflight || (this.inflight.length > 0 && this.inflightBytes >= this.maxInflightBytes);
  }

  /** Records an append carrying `bytes` of entries after `prevIndex` up to `lastIndex` (none when they are equal). */
  sentUpTo(prevIndex: number, lastIndex: number, bytes = 0): void {
    if (this.state !== 'replicate') {
      this.paused = true;
      return;
    }
    this.next = Math.max(this.next, lastIndex + 1);
    if (lastIndex > prevIndex) {
      this.inflight.push({ last: lastIndex, bytes });
      this.inflightBytes += bytes;
    }
  }

  /** Forgets the oldest append in flight. */
  private freeOldest(): void {
    this.inflightBytes -= this.inflight.shift()?.bytes ?? 0;
  }

  /**
   * Lets a paused member be sent to again after any answer from it: a probe sends its next append; a
   * full pipeline frees its oldest slot, in case the answer that would have freed it was lost.
   */
  resume(): void {
    this.paused = false;
    if (this.state === 'replicate' && this.full) this.freeOldest();
  }

  /** Records a successful append up to `index`. Returns false when it tells nothing new. */
  maybeUpdate(index: number): boolean {
    this.paused = false;
    this.next = Math.max(this.next, index + 1);
    while (this.inflight.length > 0 && this.inflight[0].last <= index) this.freeOldest();
    if (index <= this.match) return false;
    this.match = index;
    return true;
  }

  /**
   * Backs off after the member rejected an append at `rejected`; `hint` is its last index.
   * Returns false when the rejection is stale (answers an append sent before a newer one).
   */
  maybeDecrease(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.becomeProbe();
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    this.paused = false;
    return true;
  }

  becomeProbe(): void {
    this.next = Math.max(this.match, this.pendingSnapshot) + 1;
    this.state = 'probe';
    this.paused = false;
    this.pendingSnapshot = 0;
    this.inflight = [];
    this.inflightBytes = 0;
  }

  becomeReplicate(): void {
    this.next = this.match + 1;
    this.state = 'replicate';
    this.pendingSnapshot = 0;
    this.inflight = [];
    this.inflightBytes = 0;
  }

  becomeSnapshot(index: number): void {
    this.state = 'snapshot';
    this.pendingSnapshot = index;
    this.inflight = [];
    this.inflightBytes = 0;
  }
}
