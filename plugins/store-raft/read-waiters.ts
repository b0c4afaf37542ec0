import type { Deferred } from './deferred';

/**
 * Callers of a linearizable read: first waiting for the leader to confirm a read index, then for this
 * member to apply up to it.
 */
export class ReadWaiters {
  private readonly unconfirmed = new Map<string, { readonly waiter: Deferred<void>; readonly onConfirmed?: (index: number) => number }>();
  private waitingApply: { index: number; waiter: Deferred<void> }[] = [];

  /**
   * Registers the caller of read `ctx`. `onConfirmed` hears the read index once the leader confirmed it,
   * and returns the index the caller waits for instead (by default, the read index).
   */
  add(ctx: string, waiter: Deferred<void>, onConfirmed?: (index: number) => number): void {
    this.unconfirmed.set(ctx, { waiter, onConfirmed });
  }

  /** Read `ctx` may be served from state that has applied `index`; `applied` is where this member is. */
  confirmed(ctx: string, index: number, applied: number): void {
    const read = this.unconfirmed.get(ctx);
    if (!read) return;
    this.unconfirmed.delete(ctx);
    this.afterApplied(read.onConfirmed?.(index) ?? index, read.waiter, applied);
  }

  /** Resolves `waiter` once this member has applied `index` (at once if `applied` is there). */
  afterApplied(index: number, waiter: Deferred<void>, applied: number): void {
    if (index <= applied) waiter.resolve();
    else this.waitingApply.push({ index, waiter });
  }

  /** This member has applied up to `index`. */
  applied(index: number): void {
    if (this.waitingApply.length === 0) return;
    const ready = this.waitingApply.filter((w) => w.index <= index);
    this.waitingApply = this.waitingApply.filter((w) => w.index > index);
    for (const w of ready) w.waiter.resolve();
  }

  /** Drops callers that gave up (timed out). */
  prune(): void {
    for (const [ctx, r] of this.unconfirmed) if (r.waiter.settled) this.unconfirmed.delete(ctx);
  }

  rejectAll(err: Error): void {
    for (const r of this.unconfirmed.values()) r.waiter.reject(err);
    for (const w of this.waitingApply) w.waiter.reject(err);
    this.unconfirmed.clear();
    this.waitingApply = [];
  }
}
