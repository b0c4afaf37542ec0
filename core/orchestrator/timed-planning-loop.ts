import { PlanningLoop } from './planning-loop';

/**
 * A planning loop whose plans may also fall due later (a restart delay, an update's batch delay): `plan`
 * says when with {@link wakeAt}, and the key is planned again then, on a timer, without a store change.
 */
export abstract class TimedPlanningLoop extends PlanningLoop {
  /** Wake-up times found by the current pass, by key. */
  private readonly found = new Map<string, number | undefined>();
  private readonly timers = new Map<string, { readonly at: number; readonly timer: NodeJS.Timeout }>();

  override async stop(): Promise<void> {
    await super.stop();
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** From `plan`: the key is due again at `at` (clock ms), or not at all (undefined). */
  protected wakeAt(key: string, at: number | undefined): void {
    this.found.set(key, at);
  }

  protected override async reconcile(keys: ReadonlySet<string> | undefined): Promise<void> {
    this.found.clear();
    await super.reconcile(keys);
    for (const [key, at] of this.found) this.arm(key, at);
  }

  /** Arms (or clears) the timer that re-plans a key. */
  private arm(key: string, at: number | undefined): void {
    const current = this.timers.get(key);
    if (current?.at === at) return;
    if (current) clearTimeout(current.timer);
    this.timers.delete(key);
    if (at === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.poke(key);
    }, Math.max(0, at - this.clock().getTime()));
    this.timers.set(key, { at, timer });
  }
}
