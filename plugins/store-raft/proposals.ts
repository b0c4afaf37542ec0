import type { Deferred } from './deferred';
import type { Entry } from './types';

/** How many applied results are kept for answers that arrive after their entry was applied. */
const RECENT_RESULTS = 4096;

/**
 * Callers waiting for log entries: first queued (so that all proposals arriving while the disk is busy
 * go into the log together), then expected at an index and term until that index is applied. The
 * outcome is the apply result if the entry there has the expected term, else a rejection (it was
 * replaced by another leader's entry). Results of recent entries are kept, since a follower may learn
 * where its forwarded proposal landed only after applying it.
 */
export class ProposalQueue {
  private queued: { data: Uint8Array; waiter: Deferred<unknown> }[] = [];
  private readonly expected = new Map<number, { term: number; waiter: Deferred<unknown> }>();
  private readonly recent = new Map<number, { term: number; result: unknown }>();
  private appliedIndex = 0;

  /** Queues a proposal for the next batch. */
  add(data: Uint8Array, waiter: Deferred<unknown>): void {
    this.queued.push({ data, waiter });
  }

  get hasQueued(): boolean {
    return this.queued.length > 0;
  }

  /** Hands out the queued proposals (dropping any whose caller already gave up). */
  take(): { data: Uint8Array; waiter: Deferred<unknown> }[] {
    const batch = this.queued.filter((p) => !p.waiter.settled);
    this.queued = [];
    return batch;
  }

  /** `waiter` is settled by whatever is applied at `index`, if that entry has `term`. */
  expect(index: number, term: number, waiter: Deferred<unknown>): void {
    if (index <= this.appliedIndex) {
      const seen = this.recent.get(index);
      if (!seen) waiter.reject(new Error(`entry ${index} was applied too long ago to know the outcome`));
      else if (seen.term === term) waiter.resolve(seen.result);
      else waiter.reject(replaced(index, seen.term));
      return;
    }
    this.expected.set(index, { term, waiter });
  }

  /** An entry was applied with `result`: settles whoever expects its index. */
  settle(entry: Entry, result: unknown): void {
    this.appliedIndex = Math.max(this.appliedIndex, entry.index);
    this.recent.set(entry.index, { term: entry.term, result });
    this.recent.delete(entry.index - RECENT_RESULTS);
    const p = this.expected.get(entry.index);
    if (!p) return;
    this.expected.delete(entry.index);
    if (p.term === entry.term) p.waiter.resolve(result);
    else p.waiter.reject(replaced(entry.index, entry.term));
  }

  /** A snapshot replaced everything up to `index`: outcomes there can no longer be known. */
  skipTo(index: number): void {
    this.appliedIndex = Math.max(this.appliedIndex, index);
    for (const [i, p] of this.expected) {
      if (i > index) continue;
      this.expected.delete(i);
      p.waiter.reject(new Error(`entry ${i} arrived inside a snapshot; its outcome is unknown`));
    }
  }

  /** Rejects every queued and expected caller with `err`. */
  rejectAll(err: Error): void {
    const all = [...this.queued.map((p) => p.waiter), ...[...this.expected.values()].map((p) => p.waiter)];
    this.queued = [];
    this.expected.clear();
    for (const w of all) w.reject(err);
  }
}

function replaced(index: number, term: number): Error {
  return new Error(`the proposal at index ${index} was replaced by an entry of term ${term} (leadership changed)`);
}
