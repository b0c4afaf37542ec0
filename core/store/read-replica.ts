import { OrchError } from '../errors';
import type { StoreReader } from './contract';
import { MemoryState } from './memory-state';
import { unpackEntries, type ReplicaMessage } from './replica-messages';

/**
 * A copy of the cluster state that a ReplicaFeed keeps (typically in another thread, so that reads of it
 * never wait for the thread that runs consensus): the same MemoryState, driven by the same entries.
 */
export class ReadReplica {
  private state = new MemoryState();
  private restored = false;
  private waiting: { readonly index: number; readonly resolve: () => void; readonly reject: (err: Error) => void }[] = [];

  /** True once the first snapshot arrived: before, the replica holds nothing. */
  get ready(): boolean {
    return this.restored;
  }

  /** Index of the last entry applied. */
  get appliedIndex(): number {
    return this.state.appliedIndex;
  }

  /** Takes a message of the feed. */
  receive(m: ReplicaMessage): void {
    if (m.kind === 'drop') {
      this.state = new MemoryState();
      this.restored = false;
      const dropped = this.waiting;
      this.waiting = [];
      for (const w of dropped) w.reject(new OrchError('unavailable', 'this manager stopped serving reads while the read waited (leadership moved); retry'));
    } else if (m.kind === 'restore') {
      this.state.restore(m.index, m.data);
      this.restored = true;
    } else {
      // Entries the first snapshot already holds (applied while it was taken) are skipped.
      for (const [index, data] of unpackEntries(m)) if (index > this.state.appliedIndex) this.state.apply(index, data);
    }
    this.release();
  }

  /** Resolves once the replica applied up to `index`; rejects (unavailable) if it is dropped first. */
  reached(index: number): Promise<void> {
    if (this.restored && this.state.appliedIndex >= index) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiting.push({ index, resolve, reject }));
  }

  /** Runs `fn` on the replica's state. */
  view<R>(fn: (r: StoreReader) => R): R {
    return fn(this.state);
  }

  private release(): void {
    if (this.waiting.length === 0) return;
    const at = this.state.appliedIndex;
    const ready = this.waiting.filter((w) => w.index <= at);
    this.waiting = this.waiting.filter((w) => w.index > at);
    for (const w of ready) w.resolve();
  }
}
