import path from 'node:path';
import type { PersistedState } from './raft-core';
import type { Ready } from './ready';
import { SnapshotStore } from './snapshot';
import type { Entry, HardState, Snapshot } from './types';
import { Wal, type WalRecovery } from './wal';

/** What a member recovered from its data directory. */
export interface RecoveredState extends PersistedState {
  /** Set when a torn last WAL record was cut off. */
  readonly truncatedTail?: WalRecovery['truncatedTail'];
}

/**
 * A member's durable Raft state under one directory: `wal/` (see Wal) and `snap/` (see SnapshotStore).
 * Knows the order writes must happen in so that a crash at any point recovers a consistent log.
 */
export class RaftStorage {
  private constructor(
    private readonly wal: Wal,
    private readonly snapshots: SnapshotStore,
    /** The hard state last written. */
    private hardState: HardState,
  ) {}

  /** Opens `dir` and reads back the newest snapshot, then the WAL after it. */
  static async open(dir: string): Promise<{ storage: RaftStorage; recovered: RecoveredState }> {
    const snapshots = new SnapshotStore(path.join(dir, 'snap'));
    const snapshot = await snapshots.loadNewest();
    const { wal, recovered } = await Wal.open(path.join(dir, 'wal'), snapshot?.index ?? 0);
    return { storage: new RaftStorage(wal, snapshots, recovered.hardState), recovered: { ...recovered, snapshot } };
  }

  /** Persists what a Ready asks for: its snapshot, then its entries and hard state (synced when it must be). */
  async persist(rd: Ready): Promise<void> {
    if (rd.snapshot) {
      await this.saveSnapshotFile(rd.snapshot);
      await this.compactWal([]);
    }
    if (rd.entries.length === 0 && !rd.hardState) return;
    await this.wal.append(rd.entries, rd.hardState, rd.mustSync);
    if (rd.hardState) this.hardState = rd.hardState;
  }

  /** Appends `entries` and `hardState` durably (outside the Ready cycle: recovery rewrites). */
  async appendSynced(entries: readonly Entry[], hardState: HardState): Promise<void> {
    await this.wal.append(entries, hardState, true);
    this.hardState = hardState;
  }

  /**
   * Writes a snapshot file durably. It touches no WAL file, so it may run while the WAL takes appends;
   * until `compactWal` runs, recovery takes this snapshot and skips the WAL's entries it covers.
   */
  async saveSnapshotFile(snapshot: Snapshot): Promise<void> {
    await this.snapshots.save(snapshot);
  }

  /**
   * Compacts the WAL, once a snapshot is saved, to a new segment holding the current hard state and
   * `entries` (the persisted log after the snapshot). Not to run alongside `persist`.
   */
  async compactWal(entries: readonly Entry[]): Promise<void> {
    await this.wal.startSegment(this.hardState, entries);
  }

  async close(): Promise<void> {
    await this.wal.close();
  }
}
