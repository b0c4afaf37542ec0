import type { ReplicatedLog } from '../store/replicated-log';

/**
 * A manager's two ways to reach the leader's services: `local` (in process) while this manager leads,
 * `remote` (the leader's dispatcher) otherwise. Attachments move when leadership moves.
 */
export class LeaderSides<T> {
  constructor(
    private readonly consensus: Pick<ReplicatedLog, 'status' | 'watchLeadership'>,
    private readonly local: T,
    private readonly remote: T,
  ) {}

  /** The side to use now. */
  current(): T {
    return this.consensus.status().isLeader ? this.local : this.remote;
  }

  /**
   * Runs `attach` on the current side, and whenever leadership moves, detaches (with what `attach`
   * returned) and attaches to the other side. Returns a function that detaches for good.
   */
  follow(attach: (side: T) => () => void): () => void {
    let side = this.current();
    let detach = attach(side);
    const unwatch = this.consensus.watchLeadership(() => {
      const next = this.current();
      if (next === side) return;
      detach();
      side = next;
      detach = attach(side);
    });
    return () => {
      unwatch();
      detach();
    };
  }
}
