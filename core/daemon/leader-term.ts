import type { Logger } from 'pino';

/** Starts what only the leader runs; returns how to stop it. */
export type BeginTerm = () => Promise<() => Promise<void>>;

/**
 * Runs the leader-only services of a manager while it leads: `begin` when it gains leadership, the
 * stop that returned when it loses it. Changes are applied one at a time, in order, so a quick
 * loss-and-gain never runs two sets at once.
 */
export class LeaderTerm {
  private chain: Promise<void> = Promise.resolve();
  private leading = false;
  private end: (() => Promise<void>) | undefined;

  constructor(
    private readonly begin: BeginTerm,
    private readonly log: Logger,
  ) {}

  /** Follows this manager's leadership. */
  follow(isLeader: boolean): void {
    if (isLeader === this.leading) return;
    this.leading = isLeader;
    this.chain = this.chain.then(() => (isLeader ? this.start() : this.stopServices()));
  }

  /** Stops the services if they run, and follows no more. */
  async stop(): Promise<void> {
    this.follow(false);
    await this.chain;
  }

  private async start(): Promise<void> {
    if (this.end || !this.leading) return;
    try {
      this.end = await this.begin();
      this.log.info('leading: leader-only services started');
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'could not start the leader-only services');
    }
  }

  private async stopServices(): Promise<void> {
    const end = this.end;
    this.end = undefined;
    if (!end) return;
    try {
      await end();
      this.log.info('no longer leading: leader-only services stopped');
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'could not stop the leader-only services cleanly');
    }
  }
}
