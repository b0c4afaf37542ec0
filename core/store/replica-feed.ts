import type { EntryTap, ReplicaSource } from './contract';
import { packEntries, type ReplicaMessage } from './replica-messages';

/** Sends one message to the replica; `transfer` lists buffers handed over rather than copied. */
export type ReplicaSend = (message: ReplicaMessage, transfer: ArrayBuffer[]) => void;

/**
 * Bytes of entries that may wait for the end of the synchronous stretch that applies them; more are sent at
 * once (as the state starts applying the last), so the replica applies a big batch while the state does.
 */
export const FLUSH_BYTES = 64 * 1024;

/**
 * Keeps a ReadReplica (in another thread) a copy of a state (a MemoryState): sends it a snapshot of the state, then
 * every entry the state applies, packed per turn of work (sent at the end of the synchronous stretch that
 * applied them, so a burst of small entries costs one message), or at once once FLUSH_BYTES wait.
 * `onApplied` hears each index as the state starts applying it, before the entry is acknowledged to
 * anyone: the replica's readers learn from it how far they must catch up.
 */
export class ReplicaFeed implements EntryTap {
  private pending: [number, Uint8Array][] = [];
  private pendingBytes = 0;
  private restore?: ReplicaMessage & { kind: 'restore' };
  /** Entries wait while the first snapshot is written. */
  private holding = true;
  private flushQueued = false;
  private detached = false;
  private readonly untap: () => void;

  private constructor(
    state: ReplicaSource,
    private readonly send: ReplicaSend,
    private readonly onApplied: (index: number) => void,
  ) {
    this.untap = state.tapEntries(this);
  }

  /** Starts feeding `state` to a replica; resolves once the first snapshot is sent. */
  static async attach(state: ReplicaSource, send: ReplicaSend, onApplied: (index: number) => void): Promise<ReplicaFeed> {
    const feed = new ReplicaFeed(state, send, onApplied);
    const index = state.appliedIndex;
    onApplied(index);
    // The snapshot holds the rows as of this call; entries applied while it is written wait in `pending`.
    const data = await state.snapshot();
    if (feed.detached) return feed;
    feed.restore ??= { kind: 'restore', index, data };
    feed.holding = false;
    feed.flush();
    return feed;
  }

  /** Stops feeding; the replica drops its state. */
  detach(): void {
    this.untap();
    this.detached = true;
    this.takePending();
    this.restore = undefined;
    this.holding = true;
    this.send({ kind: 'drop' }, []);
  }

  applying(index: number, data: Uint8Array): void {
    this.onApplied(index);
    this.pending.push([index, data]);
    this.pendingBytes += data.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES && !this.holding) this.flush();
    else this.queueFlush();
  }

  restored(index: number, data: Uint8Array): void {
    this.onApplied(index);
    this.takePending();
    this.restore = { kind: 'restore', index, data };
    this.queueFlush();
  }

  private queueFlush(): void {
    if (this.flushQueued || this.holding) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.restore) {
      const m = this.restore;
      // A copy of its own to hand over (the snapshot may be a view of a buffer shared with other data).
      const data = new Uint8Array(this.restore.data);
      this.restore = undefined;
      this.send({ kind: 'restore', index: m.index, data }, [data.buffer]);
    }
    if (this.pending.length === 0) return;
    const m = packEntries(this.takePending());
    this.send(m, [m.bytes.buffer as ArrayBuffer]);
  }

  /** The entries waiting, which stop waiting (to be sent, or dropped). */
  private takePending(): [number, Uint8Array][] {
    const taken = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return taken;
  }
}
