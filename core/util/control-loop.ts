import type { Logger } from 'pino';
import { ConflictError } from '../errors';
import type { Hooks } from '../hooks';
import type { ChangeEvent, ClusterStore } from '../store/contract';

/** Options of a control loop. */
export interface ControlLoopOptions {
  /** Name for logs. */
  readonly name: string;
  /** Wait after the first change before reconciling, to batch bursts (ms). */
  readonly debounceMs?: number;
  /** Retry a failed pass after this long (ms). */
  readonly retryMs?: number;
}

/**
 * Base of every control loop: watches the store, collects the keys that changes touch
 * (`keysFor`), and runs `reconcile` for the dirty keys, one pass at a time. A pass that fails
 * (e.g. a write conflict) keeps its keys dirty and is retried. `reconcile` must be idempotent: it reads
 * desired and actual state from the store and writes what is missing.
 * A full pass (every key) runs at start, so the loop converges after restarts and leader changes.
 */
export abstract class ControlLoop {
  private dirty = new Set<string>();
  private all = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private unwatch: (() => void) | undefined;
  private stopped = true;
  private readonly debounceMs: number;
  private readonly retryMs: number;
  private reportingTo: Hooks | undefined;

  constructor(
    protected readonly store: ClusterStore,
    protected readonly log: Logger,
    protected readonly options: ControlLoopOptions,
  ) {
    this.debounceMs = options.debounceMs ?? 0;
    this.retryMs = options.retryMs ?? 200;
  }

  /** Keys (e.g. service ids) that a change makes dirty. */
  protected abstract keysFor(event: ChangeEvent): Iterable<string>;

  /**
   * Sees every committed change while the loop runs, before `keysFor`: for a loop that keeps its own
   * model of the store in step (it must rebuild that model on a full pass, which follows every start).
   */
  protected observe(_event: ChangeEvent): void {}

  /**
   * Converges the given keys, or every key when `keys` is undefined.
   * Throwing keeps the keys dirty and retries after `retryMs`.
   */
  protected abstract reconcile(keys: ReadonlySet<string> | undefined): Promise<void>;

  /**
   * Reports to the kernel's hooks from now on: `loops.pass` after every pass, and what the loop itself
   * reports (see {@link report}). Returns the loop, to start it.
   */
  reportTo(hooks: Hooks): this {
    this.reportingTo = hooks;
    return this;
  }

  start(): void {
    this.stopped = false;
    this.unwatch = this.store.watch((events) => {
      for (const e of events) {
        this.observe(e);
        for (const k of this.keysFor(e)) this.dirty.add(k);
      }
      if (this.dirty.size > 0) this.schedule(this.debounceMs);
    });
    this.all = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Marks a key dirty from outside a store change (e.g. a timer fired). */
  poke(key?: string): void {
    if (key === undefined) this.all = true;
    else this.dirty.add(key);
    this.schedule(0);
  }

  /** Resolves once no pass is running or due: for tests and orderly shutdown. */
  async idle(): Promise<void> {
    while (this.running || this.timer) {
      await (this.running ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer || this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.pass().finally(() => {
        this.running = undefined;
        if (this.all || this.dirty.size > 0) this.schedule(0);
      });
    }, delayMs);
  }

  /**
   * Calls `tell` with the hooks {@link reportTo} connected, if any. A tap that throws is logged, never
   * fails the pass.
   */
  protected report(tell: (hooks: Hooks) => void): void {
    if (!this.reportingTo) return;
    try {
      tell(this.reportingTo);
    } catch (err) {
      this.log.warn({ loop: this.options.name, err: (err as Error).message }, 'a hook tap failed on a loop report');
    }
  }

  private async pass(): Promise<void> {
    const all = this.all;
    const keys = this.dirty;
    this.all = false;
    this.dirty = new Set();
    const started = performance.now();
    try {
      await this.reconcile(all ? undefined : keys);
      this.reportPass(started, true);
    } catch (err) {
      this.reportPass(started, false);
      if (all) this.all = true;
      for (const k of keys) this.dirty.add(k);
      if (!(err instanceof ConflictError)) this.log.warn({ loop: this.options.name, err: (err as Error).message }, 'reconcile failed; retrying');
      await new Promise((r) => setTimeout(r, this.stopped ? 0 : this.retryMs));
    }
  }

  private reportPass(started: number, ok: boolean): void {
    const durationMs = performance.now() - started;
    this.report((hooks) => hooks.loops.pass.call({ loop: this.options.name, durationMs, ok }));
  }
}
