import type { Logger } from 'pino';
import type { Node, Task } from '../model/types';
import { isTerminal, wantsToRun } from '../model/task-state';
import type { ChangeEvent, ClusterStore } from '../store/contract';
import { ControlLoop } from '../util/control-loop';
import type { Scheduler, SchedulingDecision } from './contract';
import { buildNodeInfos } from './node-info';

const BATCH = 200;
const KEY = 'pending';

/** True for a task the scheduler should place. */
function isPending(t: Task): boolean {
  return t.status.state === 'pending' && wantsToRun(t.desiredState);
}

/**
 * Scheduler loop: gathers PENDING tasks, groups them by service and spec version, asks the Scheduler
 * provider for decisions in one batch per group, and writes them (ASSIGNED with a node, or PENDING
 * with the reason in `status.err`, as swarm mode reports it). Pending tasks are retried whenever nodes change or tasks stop, so a task that could
 * not be placed runs as soon as room appears (swarm mode never revisits them).
 * Connected with `reportTo`, it reports every pass that found pending tasks on `scheduler.decided`.
 */
export class SchedulerLoop extends ControlLoop {
  constructor(
    store: ClusterStore,
    log: Logger,
    private readonly scheduler: Scheduler,
    private readonly clock: () => Date = () => new Date(),
  ) {
    super(store, log, { name: 'scheduler', debounceMs: 5 });
  }

  protected *keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'nodes') yield KEY;
    else if (e.table === 'tasks') {
      const t = e.object as Task;
      if (e.kind === 'delete' || isPending(t) || isTerminal(t.status.state) || !wantsToRun(t.desiredState)) yield KEY;
    }
  }

  protected async reconcile(): Promise<void> {
    const started = performance.now();
    const { decisions, pending } = this.store.view((r) => {
      const tasks = r.tasks.all();
      const pending = tasks.filter(isPending);
      if (pending.length === 0) return { decisions: [] as SchedulingDecision[], pending };
      const infos = buildNodeInfos(r.nodes.all() as Node[], tasks);
      const groups = new Map<string, Task[]>();
      for (const t of pending) {
        const k = `${t.serviceId}/${t.specVersion}`;
        const g = groups.get(k);
        if (g) g.push(t);
        else groups.set(k, [t]);
      }
      const decisions: SchedulingDecision[] = [];
      for (const g of groups.values()) decisions.push(...this.scheduler.scheduleGroup(g, infos));
      return { decisions, pending };
    });
    if (decisions.length === 0) return;
    const durationMs = performance.now() - started;
    const byId = new Map(pending.map((t) => [t.id, t]));
    const changed = decisions.filter((d) => d.nodeId !== undefined || byId.get(d.taskId)?.status.err !== d.reason);
    let placed = 0;
    try {
      for (let i = 0; i < changed.length; i += BATCH) {
        const now = this.clock().toISOString();
        placed += (
          await this.store.update((tx) => {
            let assigned = 0;
            for (const d of changed.slice(i, i + BATCH)) {
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
          })
        ).result;
      }
    } finally {
      this.report((hooks) => hooks.scheduler.decided.call({ placed, durationMs }));
    }
    this.log.debug({ placed: decisions.filter((d) => d.nodeId).length, pending: decisions.filter((d) => !d.nodeId).length }, 'scheduling pass');
  }
}
