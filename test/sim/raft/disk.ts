import type { PersistedState } from '../../../plugins/store-raft/raft-core';
import type { Ready } from '../../../plugins/store-raft/ready';
import { INITIAL_HARD_STATE, type Entry, type HardState, type Snapshot } from '../../../plugins/store-raft/types';
import type { Rng } from './rng';

/** What a Raft member keeps on disk: the layout RaftStorage keeps in its WAL and snapshot files. */
interface DiskState {
  readonly hardState: HardState;
  readonly snapshot?: Snapshot;
  /** Entries after the snapshot, contiguous. */
  readonly entries: readonly Entry[];
}

/** One write, applied in order; a crash keeps a prefix of the unsynced ones. */
type Write =
  | { readonly kind: 'hardState'; readonly hardState: HardState }
  | { readonly kind: 'entries'; readonly entries: readonly Entry[] }
  /** A snapshot from the leader: replaces the whole log. */
  | { readonly kind: 'install'; readonly snapshot: Snapshot }
  /** A local snapshot: drops the entries it covers and keeps the rest. */
  | { readonly kind: 'compact'; readonly snapshot: Snapshot };

function applyWrite(s: DiskState, w: Write): DiskState {
  switch (w.kind) {
    case 'hardState':
      return { ...s, hardState: w.hardState };
    case 'entries': {
      const first = w.entries[0].index;
      const last = (s.snapshot?.index ?? 0) + s.entries.length;
      if (first > last + 1) throw new Error(`disk write of entries from ${first} leaves a gap after ${last}`);
      const kept = s.entries.length > 0 && s.entries[0].index < first ? s.entries.slice(0, first - s.entries[0].index) : [];
      return { ...s, entries: [...kept, ...w.entries] };
    }
    case 'install':
      return { ...s, snapshot: w.snapshot, entries: [] };
    case 'compact':
      return { ...s, snapshot: w.snapshot, entries: s.entries.filter((e) => e.index > w.snapshot.index) };
  }
}

/**
 * A simulated disk for one Raft member. Writes land in a volatile buffer (the page cache) at once and
 * become durable only at `sync` (fsync). A crash keeps a random prefix of the unsynced writes (the
 * rest is lost, as with a write-back cache that flushed part of a file); the member then recovers from
 * what is durable, as the real driver recovers its WAL.
 */
export class SimDisk {
  private durable: DiskState = { hardState: INITIAL_HARD_STATE, entries: [] };
  private unsynced: Write[] = [];
  /** Syncs and crashes so far, and unsynced writes lost in crashes. */
  syncs = 0;
  lost = 0;

  /** Writes what a Ready asks to persist (not yet durable): its snapshot, then entries, then hard state. */
  write(rd: Ready): void {
    if (rd.snapshot) this.unsynced.push({ kind: 'install', snapshot: rd.snapshot });
    if (rd.entries.length > 0) this.unsynced.push({ kind: 'entries', entries: rd.entries });
    if (rd.hardState) this.unsynced.push({ kind: 'hardState', hardState: rd.hardState });
  }

  /** Writes a local snapshot that replaces the log up to its index (not yet durable). */
  compact(snapshot: Snapshot): void {
    this.unsynced.push({ kind: 'compact', snapshot });
  }

  /** Whether writes wait to be made durable. */
  get dirty(): boolean {
    return this.unsynced.length > 0;
  }

  /** fsync: every write so far becomes durable. */
  sync(): void {
    if (this.unsynced.length === 0) return;
    this.durable = this.unsynced.reduce(applyWrite, this.durable);
    this.unsynced = [];
    this.syncs++;
  }

  /** Power loss: a random prefix of the unsynced writes reaches the disk, the rest is lost. */
  crash(rng: Rng): void {
    const kept = rng.int(0, this.unsynced.length);
    this.durable = this.unsynced.slice(0, kept).reduce(applyWrite, this.durable);
    this.lost += this.unsynced.length - kept;
    this.unsynced = [];
  }

  /** What a restarting member reads back: the durable state only. */
  recover(): PersistedState {
    return { hardState: this.durable.hardState, snapshot: this.durable.snapshot, entries: [...this.durable.entries] };
  }
}
