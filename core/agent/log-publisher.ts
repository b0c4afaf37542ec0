import type { LogSubscription } from '../logs/contract';
import { PublishedSubscription, type LogPublisherDeps } from './published-subscription';

/**
 * A node's side of the log broker: listens for the subscriptions the leader sends this node, and serves
 * each from the runtimes of its tasks (see PublishedSubscription). When its link to the leader goes
 * away, every subscription ends here; the leader sends again those it still wants once the link is back.
 */
export class LogPublisher {
  private readonly subscriptions = new Map<string, PublishedSubscription>();
  private unlisten: (() => void) | undefined;

  constructor(private readonly deps: LogPublisherDeps) {}

  start(): void {
    this.unlisten = this.deps.channel.listenLogs({ subscription: (s) => this.onSubscription(s), lost: () => this.cancelAll() });
  }

  /** Stops listening and ends every subscription. */
  stop(): void {
    this.unlisten?.();
    this.unlisten = undefined;
    this.cancelAll();
  }

  private onSubscription(s: LogSubscription): void {
    let sub = this.subscriptions.get(s.id);
    if (s.close) {
      sub?.cancel();
      this.subscriptions.delete(s.id);
      return;
    }
    if (!sub) {
      const created = new PublishedSubscription(s.id, s.options.follow, this.deps, () => {
        if (this.subscriptions.get(s.id) === created) this.subscriptions.delete(s.id);
      });
      this.subscriptions.set(s.id, created);
      sub = created;
    }
    sub.stream(s.taskIds, s.options);
  }

  private cancelAll(): void {
    for (const sub of this.subscriptions.values()) sub.cancel();
    this.subscriptions.clear();
  }
}
