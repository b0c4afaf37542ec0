import { applyStatusUpdates } from '../agent/assignments';
import type { StatusUpdate } from '../agent/contract';
import type { ClusterStore } from '../store/contract';
import { updateRetrying } from '../store/update-retrying';

/**
 * Most status updates written in one transaction: a bigger one takes a replica long to apply in one go
 * (an entry is applied whole), holding up everything else it does.
 */
export const MAX_UPDATES_PER_TRANSACTION = 1000;

/** Status updates of one node. */
export interface NodeUpdates {
  readonly nodeId: string;
  readonly updates: readonly StatusUpdate[];
}

/**
 * Packs the updates of several nodes into transactions of at most `max` updates each, in order,
 * splitting a node's updates where a transaction fills up. Pure.
 */
export function packTransactions(batches: readonly NodeUpdates[], max: number): NodeUpdates[][] {
  const txs: NodeUpdates[][] = [];
  let current: NodeUpdates[] = [];
  let room = max;
  for (const { nodeId, updates } of batches) {
    for (let i = 0; i < updates.length; ) {
      if (room === 0) {
        txs.push(current);
        current = [];
        room = max;
      }
      const part = updates.slice(i, i + room);
      current.push({ nodeId, updates: part });
      room -= part.length;
      i += part.length;
    }
  }
  if (current.length > 0) txs.push(current);
  return txs;
}

interface Waiting extends NodeUpdates {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Writes the status updates of every node's UpdateTaskStatus calls in shared transactions: calls that
 * arrive within `windowMs` of the first, or while a write is under way, go into the same batch, written
 * in transactions of at most MAX_UPDATES_PER_TRANSACTION updates, all at once. Every caller of a batch learns its outcome; re-sending after a
 * failure is harmless since only forward moves apply.
 */
export class StatusWriter {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly store: ClusterStore,
    private readonly windowMs = 10,
    private readonly maxPerTransaction = MAX_UPDATES_PER_TRANSACTION,
  ) {}

  /** Queues one call's updates; resolves once they are durable. */
  write(nodeId: string, updates: readonly StatusUpdate[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ nodeId, updates, resolve, reject });
      if (!this.timer && !this.writing) this.timer = setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Writes what is queued now and resolves when every write is done. */
  async drain(): Promise<void> {
    if (this.timer) this.flush();
    while (this.writing) await this.writing;
  }

  /** Writes the waiting calls as one batch; calls that arrive meanwhile form the next, written right after. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    this.writing = this.writeBatch(batch).finally(() => {
      this.writing = undefined;
      if (this.waiting.length > 0) this.flush();
    });
  }

  private async writeBatch(batch: readonly Waiting[]): Promise<void> {
    try {
      // Side by side: the store commits them together; only forward moves apply, so their order does not matter.
      const results = await Promise.allSettled(
        packTransactions(batch, this.maxPerTransaction).map((tx) =>
          updateRetrying(this.store, (w) => {
            for (const { nodeId, updates } of tx) applyStatusUpdates(w, nodeId, updates);
          }),
        ),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      for (const w of batch) w.resolve();
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
