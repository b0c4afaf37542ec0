import type { Entry } from './types';

interface Waiter {
  resolve(result: unknown): void;
  reject(err: Error): void;
}

/**
 * Proposals waiting for their outcome: first queued (so that all proposals arriving while the disk is
 * busy go into the log together), then placed at a log index and term until that index is applied.
 */
export class ProposalQueue {
  private queued: { data: Uint8Array; waiter: Waiter }[] = [];
  private readonly placed = new Map<number, Waiter & { term: number }>();

  /** Queues a proposal; the promise settles with its apply result or a rejection. */
  add(data: Uint8Array): Promise<unknown> {
    return new Promise((resolve, reject) => this.queued.push({ data, waiter: { resolve, reject } }));
  }

  get hasQueued(): boolean {
    return this.queued.length > 0;
  }

  /**
   * Hands every queued proposal to `append` as one batch and remembers where each landed.
   * @param append appends the batch to the log and returns the index of the first entry
   */
  place(term: number, append: (batch: Uint8Array[]) => number): void {
    const batch = this.queued;
    this.queued = [];
    const first = append(batch.map((p) => p.data));
    batch.forEach((p, i) => this.placed.set(first + i, { ...p.waiter, term }));
  }

  /** An entry was applied with `result`: settles the proposal placed at its index, if any. */
  settle(entry: Entry, result: unknown): void {
    const p = this.placed.get(entry.index);
    if (!p) return;
    this.placed.delete(entry.index);
    if (p.term === entry.term) p.resolve(result);
    else p.reject(new Error(`proposal at index ${entry.index} was replaced by an entry of term ${entry.term}`));
  }

  /** Rejects every queued and placed proposal with `err`. */
  rejectAll(err: Error): void {
    const all = [...this.queued.map((p) => p.waiter), ...this.placed.values()];
    this.queued = [];
    this.placed.clear();
    for (const w of all) w.reject(err);
  }
}
