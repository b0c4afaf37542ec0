import { INITIAL_HARD_STATE, type Entry, type HardState } from './types';
import type { WalRecord } from './wal-records';

/**
 * Rebuilds the log from WAL records in write order: the last hard state wins, an entry for an index
 * already seen replaces the suffix from there (a conflict truncation being replayed), and entries
 * covered by the snapshot are skipped.
 */
export class WalReplay {
  hardState: HardState = INITIAL_HARD_STATE;
  readonly entries: Entry[] = [];

  constructor(private readonly snapshotIndex: number) {}

  /** @throws Error when an entry would leave a gap in the log */
  add(record: WalRecord): void {
    if (record.type === 'hard-state') {
      this.hardState = record.hardState;
      return;
    }
    const e = record.entry;
    if (e.index <= this.snapshotIndex) return;
    const next = this.snapshotIndex + this.entries.length + 1;
    if (e.index > next) {
      throw new Error(`entry ${e.index} follows a gap: entry ${next} is missing`);
    }
    this.entries.length = e.index - this.snapshotIndex - 1;
    this.entries.push(e);
  }
}
