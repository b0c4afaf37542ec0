import type { Logger } from 'pino';
import type { AgentSession, StatusUpdate } from './contract';
import { stateRank } from '../model/task-state';

/**
 * Collects status updates and sends them in batches: everything reported while a batch is in flight
 * goes in the next one, and of several updates for one task only the latest state is sent. A failed
 * send is retried, so no transition an agent observed is lost while the daemon lives.
 */
export class StatusBatcher {
  private pending = new Map<string, StatusUpdate>();
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly session: AgentSession,
    private readonly log: Logger,
    private readonly retryMs = 500,
  ) {}

  /** Queues an update; it is sent with the next batch. */
  report(update: StatusUpdate): void {
    const prev = this.pending.get(update.taskId);
    if (!prev || stateRank(update.status.state) >= stateRank(prev.status.state)) this.pending.set(update.taskId, update);
    if (!this.inFlight) this.inFlight = this.flush();
  }

  /** Resolves when everything queued so far has been sent. */
  async drain(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async flush(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.pending.size > 0) {
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.session.report([...batch.values()]);
      } catch (err) {
        this.log.warn({ err: (err as Error).message, updates: batch.size }, 'status report failed; retrying');
        for (const [id, u] of batch) if (!this.pending.has(id)) this.pending.set(id, u);
        // A retry alone does not keep the process alive (a stopped daemon may not reach its managers).
        await new Promise((r) => setTimeout(r, this.retryMs).unref());
      }
    }
    this.inFlight = undefined;
  }
}
