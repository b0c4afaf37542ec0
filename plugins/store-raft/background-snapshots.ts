import type { Logger } from 'pino';
import type { StateMachine } from '../../core/store/replicated-log';
import type { RaftCore } from './raft-core';
import type { RaftStorage } from './raft-storage';
import type { Snapshot } from './types';

/** When a member snapshots its state machine. */
export interface SnapshotPolicy {
  /** Applied entries between snapshots. */
  readonly everyEntries: () => number;
  /**
   * Bytes of applied entries after which a snapshot is taken sooner (batched writes make big entries),
   * or `STATE_GROWTH` times the last snapshot's size if that is more.
   */
  readonly everyBytes: number;
}

/**
 * A snapshot serializes the whole state, so it costs in proportion to the state's size: taken every fixed
 * number of bytes of entries, it would cost more and more per write as the state grows (at 100,000 tasks a
 * burst of rescheduling paid for one on every member). Once `STATE_GROWTH` times the last snapshot's
 * bytes have been applied since, snapshotting costs at most half as much as the entries did to write
 * (the rule Redis uses to rewrite its append-only file); the WAL a restart replays stays within that too.
 */
export const STATE_GROWTH = 2;

/** Whether a snapshot is due, given what was applied since the last one and its size. Pure. */
export function snapshotDue(policy: SnapshotPolicy, since: { readonly entries: number; readonly bytes: number }, lastSnapshotBytes: number): boolean {
  return since.entries >= policy.everyEntries() || since.bytes >= Math.max(policy.everyBytes, STATE_GROWTH * lastSnapshotBytes);
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
  /** Size of the state machine's last snapshot (taken here, restored at start, or sent by the leader). */
  private lastBytes = 0;
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

  /** The state machine was replaced by a snapshot of `bytes` (at start, or from the leader): counting starts again. */
  restored(bytes: number): void {
    this.bytesSince = 0;
    this.lastBytes = bytes;
  }

  /** Between Readies: starts a snapshot of what `core` applied, if one is due and none is under way. */
  maybeStart(core: RaftCore, sm: StateMachine, storage: RaftStorage): void {
    const index = core.log.applied;
    if (this.job || index <= core.log.snapshotIndex) return;
    if (!snapshotDue(this.policy, { entries: index - core.log.snapshotIndex, bytes: this.bytesSince }, this.lastBytes)) return;
    this.bytesSince = 0;
    const taken = core.snapshotAt(index, new Uint8Array());
    const data = sm.snapshot();
    this.job = (async () => {
      const snapshot = { ...taken, data: await data };
      await storage.saveSnapshotFile(snapshot);
      this.lastBytes = snapshot.data.length;
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
