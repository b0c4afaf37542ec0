import type { Logger } from 'pino';
import type { ReplicaSource } from '../store/contract';
import { ReplicaFeed, type ReplicaSend } from '../store/replica-feed';

/**
 * Feeds the control thread's replica while this member leads, and has it drop its state when it no longer
 * does: only a leader holds a read lease, so only a leader's replica serves reads, and followers spend no
 * time or memory on one. Changes are made one after the other (a feed starts only once the last one stopped).
 */
export class LeaderReplica {
  private feed?: ReplicaFeed;
  private leading = false;
  private changes: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: ReplicaSource,
    private readonly send: ReplicaSend,
    private readonly onApplied: (index: number) => void,
    private readonly log: Logger,
  ) {}

  /** This member leads (or not) from now on. */
  follow(isLeader: boolean): void {
    if (isLeader === this.leading) return;
    this.leading = isLeader;
    this.changes = this.changes.then(() => this.settle()).catch((err: Error) => this.log.error({ err: err.message }, 'could not feed the read replica; reads go to the main thread'));
  }

  /** Resolves once the replica follows the last change. */
  settled(): Promise<void> {
    return this.changes;
  }

  private async settle(): Promise<void> {
    if (this.leading && !this.feed) this.feed = await ReplicaFeed.attach(this.source, this.send, this.onApplied);
    else if (!this.leading && this.feed) {
      this.feed.detach();
      this.feed = undefined;
    }
  }
}
