import type { Deferred } from './deferred';

/**
 * Callers of a linearizable read: first waiting for the leader to confirm a read index, then for this
 * member to apply up to it.
 */
export class ReadWaiters {
  private readonly unconfirmed = new Map<string, Deferred<void>>();
  private waitingApply: { index: number; waiter: Deferred<void> }[] = [];

  /** Registers the caller of read `ctx`. */
  add(ctx: string, waiter: Deferred<void>): void {
    this.unconfirmed.set(ctx, waiter);
  }

  /** Read `ctx` may be served from state that has applied `index`; `applied` is where this member is. */
  confirmed(ctx: string, index: number, applied: number): void {
    const waiter = this.unconfirmed.get(ctx);
    if (!waiter) return;
    this.unconfirmed.delete(ctx);
    this.afterApplied(index, waiter, applied);
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
    for (const [ctx, w] of this.unconfirmed) if (w.settled) this.unconfirmed.delete(ctx);
  }

  rejectAll(err: Error): void {
    for (const w of this.unconfirmed.values()) w.reject(err);
    for (const w of this.waitingApply) w.waiter.reject(err);
    this.unconfirmed.clear();
    this.waitingApply = [];
  }
}
