import { TimeSlice } from '../util/time-slice';
import type { Logger } from 'pino';
import { wantsToRun } from '../model/task-state';
import type { Task } from '../model/types';
import type { ChangeEvent, ClusterStore } from '../store/contract';
import { ControlLoop } from '../util/control-loop';
import type { Scheduler, SchedulingDecision } from './contract';
import { isPending, mayFreeOrNeedRoom, PlacementState } from './placement-state';

/** Decisions written in one transaction. */
const BATCH = 500;
/** Transactions of decisions written at once (the store commits concurrent ones together). */
const WRITES_IN_FLIGHT = 8;
const KEY = 'pending';

/**
 * Scheduler loop: marks SHUTDOWN the PENDING tasks asked to stop before they were placed, gathers the
 * PENDING tasks wanting to run, groups them by service and spec version, asks the Scheduler
 * provider for decisions in one batch per group, and writes them (ASSIGNED with a node, or PENDING
 * with the reason in `status.err`, as swarm mode reports it). Pending tasks are retried whenever nodes
 * change or tasks stop, so a task that could not be placed runs as soon as room appears (swarm mode
 * never revisits them). Its PlacementState follows the store change by change, so a pass costs what it
 * places; a full pass (at start) rebuilds it from the store.
 * Connected with `reportTo`, it reports every pass that found pending tasks on `scheduler.decided` (and
 * the first that found none after one that left some).
 */
export class SchedulerLoop extends ControlLoop {
  private readonly state = new PlacementState();
  /** Tasks the last reported pass left pending. */
  private leftPending = 0;

  constructor(
    store: ClusterStore,
    log: Logger,
    private readonly scheduler: Scheduler,
    private readonly clock: () => Date = () => new Date(),
  ) {
    super(store, log, { name: 'scheduler', debounceMs: 5 });
  }

  protected override observe(e: ChangeEvent): void {
    this.state.apply(e);
  }

  protected *keysFor(e: ChangeEvent): Iterable<string> {
    if (mayFreeOrNeedRoom(e)) yield KEY;
  }

  protected async reconcile(keys: ReadonlySet<string> | undefined): Promise<void> {
    if (keys === undefined) this.store.view((r) => this.state.rebuild(r));
    await this.stopUnwanted();
    const slice = new TimeSlice();
    const pending = this.state.pendingTasks();
    if (pending.length === 0) {
      // The tasks left pending last time are gone or placed: say so once.
      if (this.leftPending > 0) this.report((hooks) => hooks.scheduler.decided.call({ placed: 0, durationMs: 0, pending: (this.leftPending = 0) }));
      return;
    }
    const infos = this.state.passInfos();
    const groups = new Map<string, Task[]>();
    for (const t of pending) {
      const k = `${t.serviceId}/${t.specVersion}`;
      const g = groups.get(k);
      if (g) g.push(t);
      else groups.set(k, [t]);
    }
    const decisions: SchedulingDecision[] = [];
    for (const g of groups.values()) {
      decisions.push(...this.scheduler.scheduleGroup(g, infos));
      // Deciding for tens of thousands of tasks takes long: let calls in between groups. What changes
      // meanwhile is safe: the writes skip tasks no longer pending, and usage the views read is live.
      if (slice.due) await slice.next();
    }
    const durationMs = slice.busyMs;
    const changed = decisions.filter((d) => d.nodeId !== undefined || this.state.pendingTask(d.taskId)?.status.err !== d.reason);
    let placed = 0;
    try {
      // Batches touch distinct tasks: several in flight let the store commit them together.
      for (let wave = 0; wave < changed.length; wave += BATCH * WRITES_IN_FLIGHT) {
        const batches: SchedulingDecision[][] = [];
        for (let i = wave; i < Math.min(changed.length, wave + BATCH * WRITES_IN_FLIGHT); i += BATCH) batches.push(changed.slice(i, i + BATCH));
        const written = await Promise.all(batches.map((batch) => this.write(batch)));
        placed += written.reduce((a, b) => a + b, 0);
      }
    } finally {
      this.leftPending = decisions.filter((d) => d.nodeId === undefined).length;
      this.report((hooks) => hooks.scheduler.decided.call({ placed, durationMs, pending: this.leftPending }));
    }
    this.log.debug({ placed: decisions.filter((d) => d.nodeId).length, pending: decisions.filter((d) => !d.nodeId).length }, 'scheduling pass');
  }

  /**
   * Marks SHUTDOWN the PENDING tasks asked to stop before they were placed: no node ever had them, and
   * what waits for them to stop (a stop-first update's next task) must not wait forever.
   */
  private async stopUnwanted(): Promise<void> {
    const unwanted = this.state.unwantedTasks();
    if (unwanted.length === 0) return;
    const now = this.clock().toISOString();
    for (let i = 0; i < unwanted.length; i += BATCH) {
      const batch = unwanted.slice(i, i + BATCH);
      await this.store.update((tx) => {
        for (const { id } of batch) {
          const t = tx.tasks.get(id);
          if (t?.status.state === 'pending' && !wantsToRun(t.desiredState)) tx.tasks.update({ ...t, status: { state: 'shutdown', timestamp: now, message: 'shut down before it was placed' } });
        }
      });
    }
  }

  /** Writes one batch of decisions in one transaction (tasks no longer pending are skipped); resolves with how many it assigned. */
  private async write(batch: readonly SchedulingDecision[]): Promise<number> {
    const now = this.clock().toISOString();
    const { result } = await this.store.update((tx) => {
      let assigned = 0;
      for (const d of batch) {
        const t = tx.tasks.get(d.taskId);
        if (!t || !isPending(t)) continue;
        if (d.nodeId !== undefined) {
          tx.tasks.update({ ...t, nodeId: d.nodeId, status: { state: 'assigned', timestamp: now, message: 'scheduler assigned task to node' } });
          assigned++;
        } else {
          tx.tasks.update({ ...t, status: { state: 'pending', timestamp: now, message: 'pending task scheduling', err: d.reason } });
        }
      }
      return assigned;
    });
    return result;
  }
}
