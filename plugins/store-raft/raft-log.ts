import { MembershipHistory } from './membership';
import type { Entry, Member, Snapshot, SnapshotMeta } from './types';

/**
 * A member's log as Raft sees it: a snapshot point followed by entries, plus the indexes that say how
 * far it is persisted (`stableIndex`), committed and applied, and the member lists it holds.
 * Pure memory; the caller persists.
 */
export class RaftLog {
  /** Last index and term covered by the snapshot (0/0 when there is none). */
  private base: { index: number; term: number };
  private membership: MembershipHistory;
  /** Entries after `base.index`, contiguous. */
  private entries: Entry[];
  /** A snapshot from the leader the caller has not yet persisted and installed. */
  pendingSnapshot?: Snapshot;
  /** Last index the caller has persisted. */
  stableIndex: number;
  committed: number;
  applied: number;

  /** Starts from persisted state: everything given is taken as stable; `commit` is clamped to the log. */
  constructor(snapshot: SnapshotMeta | undefined, entries: readonly Entry[], commit: number) {
    this.base = { index: snapshot?.index ?? 0, term: snapshot?.term ?? 0 };
    if (entries.length > 0 && entries[0].index !== this.base.index + 1) {
      throw new Error(`log entries start at ${entries[0].index}, expected ${this.base.index + 1}`);
    }
    this.entries = [...entries];
    this.membership = new MembershipHistory(this.base.index, snapshot?.members ?? [], entries);
    this.stableIndex = this.lastIndex;
    this.committed = Math.min(Math.max(commit, this.base.index), this.lastIndex);
    this.applied = this.base.index;
  }

  get snapshotIndex(): number {
    return this.base.index;
  }
  get firstIndex(): number {
    return this.base.index + 1;
  }
  get lastIndex(): number {
    return this.base.index + this.entries.length;
  }
  get lastTerm(): number {
    return this.term(this.lastIndex)!;
  }

  /** The newest member list in the log (committed or not). */
  get members(): readonly Member[] {
    return this.membership.current;
  }

  /** Index of the `config` entry that set `members` (the snapshot index, if none after it). */
  get membersIndex(): number {
    return this.membership.currentIndex;
  }

  /** The member list in force at `index`. */
  membersAt(index: number): readonly Member[] {
    return this.membership.at(index);
  }

  /** Term of the entry at `index`; undefined if it was compacted away or is beyond the log. */
  term(index: number): number | undefined {
    if (index === this.base.index) return this.base.term;
    return this.entries[index - this.base.index - 1]?.term;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** Whether a log ending at (`lastIndex`, `lastTerm`) is at least as up to date as this one. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex);
  }

  /** Entries `lo..hi` inclusive (all must be in memory). */
  slice(lo: number, hi: number): Entry[] {
    if (lo <= this.base.index) throw new Error(`entry ${lo} is compacted (log starts at ${this.firstIndex})`);
    return this.entries.slice(lo - this.base.index - 1, hi - this.base.index);
  }

  /** Appends entries whose first index may overwrite an uncommitted suffix. Returns the new last index. */
  append(entries: readonly Entry[]): number {
    if (entries.length === 0) return this.lastIndex;
    const first = entries[0].index;
    if (first <= this.committed) throw new Error(`refusing to overwrite committed entry ${first} (commit ${this.committed})`);
    if (first > this.lastIndex + 1) throw new Error(`entry ${first} leaves a gap after ${this.lastIndex}`);
    this.entries.length = first - this.base.index - 1;
    this.entries.push(...entries);
    this.membership.truncateFrom(first);
    this.membership.add(entries);
    this.stableIndex = Math.min(this.stableIndex, first - 1);
    return this.lastIndex;
  }

  /**
   * The follower side of AppendEntries: if the entry at `prevIndex` has `prevTerm`, appends `entries`
   * from the first one that conflicts (dropping the conflicting suffix) and advances the commit index to
   * at most the last entry this request vouches for. Returns that last index, or undefined on mismatch.
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, entries: readonly Entry[]): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + entries.length;
    const conflict = entries.findIndex((e) => !this.matchTerm(e.index, e.term));
    if (conflict >= 0) this.append(entries.slice(conflict));
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  /** Raises the commit index (never lowers it). */
  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex) throw new Error(`commit ${index} is beyond the last index ${this.lastIndex}`);
    this.committed = index;
  }

  get hasUnstableEntries(): boolean {
    return this.stableIndex < this.lastIndex;
  }

  /** Entries the caller has not persisted yet. */
  unstableEntries(): Entry[] {
    return this.entries.slice(this.stableIndex - this.base.index);
  }

  /** Marks entries up to `index` persisted, unless that entry has since been replaced. */
  stableTo(index: number, term: number): void {
    if (index > this.stableIndex && this.matchTerm(index, term)) this.stableIndex = index;
  }

  get hasCommittedToApply(): boolean {
    return this.committed >= this.applyFrom;
  }

  /** Committed entries not yet handed out for applying (after any pending snapshot). */
  committedToApply(): Entry[] {
    return this.hasCommittedToApply ? this.slice(this.applyFrom, this.committed) : [];
  }

  /** First index to apply next: after what is applied and after any pending snapshot. */
  private get applyFrom(): number {
    return Math.max(this.applied, this.pendingSnapshot?.index ?? 0) + 1;
  }

  appliedTo(index: number): void {
    this.applied = Math.max(this.applied, index);
  }

  /** Replaces the whole log with a snapshot from the leader; it stays pending until persisted. */
  restore(snapshot: Snapshot): void {
    this.base = { index: snapshot.index, term: snapshot.term };
    this.entries = [];
    this.membership = new MembershipHistory(snapshot.index, snapshot.members, []);
    this.pendingSnapshot = snapshot;
    this.committed = snapshot.index;
    this.stableIndex = snapshot.index;
  }

  /** The pending snapshot is persisted and installed in the state machine. */
  snapshotInstalled(index: number): void {
    if (this.pendingSnapshot?.index === index) this.pendingSnapshot = undefined;
    this.appliedTo(index);
  }

  /** Drops entries up to `index` (which must be applied), remembering its term. */
  compact(index: number): void {
    if (index <= this.base.index) return;
    if (index > this.applied) throw new Error(`cannot compact to ${index}: only ${this.applied} applied`);
    const term = this.term(index)!;
    this.entries.splice(0, index - this.base.index);
    this.base = { index, term };
    this.membership.rebase(index);
  }
}
