import type { Logger } from 'pino';
import type { ClusterStore, StoreReader } from '../store/contract';
import { ControlLoop, type ControlLoopOptions } from '../util/control-loop';
import { writePlans, type TaskChange } from './task-changes';

/** The orchestrators' time source; injectable for tests. */
export type Clock = () => Date;

/**
 * A control loop whose pass plans each dirty key with a pure function and writes the plans in
 * bounded transactions (see `writePlans`). Subclasses say which keys exist and how one is planned.
 */
export abstract class PlanningLoop extends ControlLoop {
  constructor(
    store: ClusterStore,
    log: Logger,
    options: ControlLoopOptions,
    protected readonly clock: Clock = () => new Date(),
  ) {
    super(store, log, options);
  }

  /** Every key a full pass covers. */
  protected abstract allKeys(r: StoreReader): Iterable<string>;

  /** The changes that converge `key`, read from `r` (a transaction's view). Must be idempotent. */
  protected abstract plan(r: StoreReader, key: string, now: Date): readonly TaskChange[];

  protected async reconcile(keys: ReadonlySet<string> | undefined): Promise<void> {
    const todo = keys ?? this.store.view((r) => new Set(this.allKeys(r)));
    await writePlans(this.store, todo, (r, key) => this.plan(r, key, this.clock()));
  }
}

