import type { Logger } from 'pino';
import type { StateMachine } from '../../core/store/replicated-log';
import type { RaftCore } from './raft-core';
import type { RaftStorage } from './raft-storage';
import type { Snapshot } from './types';

/** When a member snapshots its state machine. */
export interface SnapshotPolicy {
  /** Applied entries between snapshots. */
  readonly everyEntries: () => number;
  /** Bytes of applied entries after which a snapshot is taken sooner (batched writes make big entries). */
  readonly everyBytes: number;
}

/**
 * A member's snapshots, taken without holding up its Ready loop: the state machine's rows are taken at
 * once, then serialized and written to a file while the loop goes on persisting and applying (a big
 * state takes seconds, and meanwhile reads would wait and the leader's lease would lapse). The loop then
 * compacts the WAL and the in-memory log to the saved snapshot between two Readies, the only step that
 * must not overlap a WAL append. One snapshot is under way at a time; a failed one is logged and retried
 * after the next interval (the WAL still holds everything).
 */
export class BackgroundSnapshots {
  private bytesSince = 0;
  private job?: Promise<void>;
  /** A snapshot saved to disk, for the loop to compact to. */
  private saved?: Snapshot;

  constructor(
    private readonly policy: SnapshotPolicy,
    /** Called when a saved snapshot waits for the loop (so that an idle loop runs once more). */
    private readonly wake: () => void,
    private readonly log?: Logger,
  ) {}

  /** `bytes` of entries were applied. */
  applied(bytes: number): void {
    this.bytesSince += bytes;
  }

  /** The state machine was replaced by a snapshot from the leader: counting starts again. */
  restored(): void {
    this.bytesSince = 0;
  }

  /** Between Readies: starts a snapshot of what `core` applied, if one is due and none is under way. */
  maybeStart(core: RaftCore, sm: StateMachine, storage: RaftStorage): void {
    const index = core.log.applied;
    if (this.job || index <= core.log.snapshotIndex) return;
    if (index - core.log.snapshotIndex < this.policy.everyEntries() && this.bytesSince < this.policy.everyBytes) return;
    this.bytesSince = 0;
    const taken = core.snapshotAt(index, new Uint8Array());
    const data = sm.snapshot();
    this.job = (async () => {
      const snapshot = { ...taken, data: await data };
      await storage.saveSnapshotFile(snapshot);
      this.saved = snapshot;
      this.wake();
    })()
      .catch((err: Error) => this.log?.error({ err, index }, 'raft snapshot failed; the WAL keeps everything, and the next one is tried later'))
      .finally(() => (this.job = undefined));
  }

  /**
   * Between Readies: compacts the WAL and `core`'s log to the snapshot saved last, unless a snapshot from
   * the leader got further meanwhile.
   */
  async compactSaved(core: RaftCore, storage: RaftStorage): Promise<void> {
    const snapshot = this.saved;
    if (!snapshot) return;
    this.saved = undefined;
    if (snapshot.index <= core.log.snapshotIndex) return;
    const tail = core.log.stableIndex > snapshot.index ? core.log.slice(snapshot.index + 1, core.log.stableIndex) : [];
    await storage.compactWal(tail);
    core.compact(snapshot);
    this.log?.info({ index: snapshot.index, term: snapshot.term }, 'raft snapshot saved, WAL compacted');
  }

  /** Waits for the snapshot under way, if any, to end (before the storage closes). */
  async settle(): Promise<void> {
    await this.job;
  }
}
