import type { Logger } from 'pino';
import { isTerminal } from '../model/task-state';
import { DEFAULT_CLUSTER_SETTINGS, type Task } from '../model/types';
import type { ChangeEvent, ClusterStore, StoreReader } from '../store/contract';
import { groupBy } from './group-by';
import { PlanningLoop } from './planning-loop';
import type { TaskChange } from './task-changes';

/** Batches deletes: nothing waits on them, so a short pause saves commits. */
const REAPER_DEBOUNCE_MS = 50;

/** True for a task desired REMOVE that can go: it stopped, or it never reached a node (NEW, PENDING). */
function removable(t: Task): boolean {
  return t.desiredState === 'remove' && (isTerminal(t.status.state) || t.status.state === 'new' || t.status.state === 'pending');
}

/** True for an old task: desired SHUTDOWN and stopped. */
function historic(t: Task): boolean {
  return t.desiredState === 'shutdown' && isTerminal(t.status.state);
}

/** Newest first. */
function newestFirst(a: Task, b: Task): number {
  return b.meta.createdAt.localeCompare(a.meta.createdAt) || b.meta.version - a.meta.version || a.id.localeCompare(b.id);
}

/**
 * Plans the deletes for the tasks of one service: every removable task (see above), and the old tasks
 * beyond the newest `historyLimit` of each slot (of each node, for a global service). Pure.
 */
export function planReap(tasks: readonly Task[], historyLimit: number): TaskChange[] {
  const doomed = tasks.filter(removable);
  const bySlot = groupBy(tasks.filter(historic), (t) => (t.slot !== undefined ? `slot ${t.slot}` : `node ${t.nodeId}`));
  for (const old of bySlot.values()) doomed.push(...old.sort(newestFirst).slice(Math.max(0, historyLimit)));
  return doomed.map((t) => ({ kind: 'delete', taskId: t.id }));
}

/** The cluster's task history limit. */
function historyLimitOf(r: StoreReader): number {
  return (r.clusters.all()[0]?.settings ?? DEFAULT_CLUSTER_SETTINGS).taskHistoryLimit;
}

/** The task reaper: deletes removed tasks once stopped, and trims each slot's history (`planReap`). */
export class TaskReaper extends PlanningLoop {
  constructor(store: ClusterStore, log: Logger) {
    super(store, log, { name: 'task-reaper', debounceMs: REAPER_DEBOUNCE_MS });
  }

  protected keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'clusters') this.poke();
    if (e.table !== 'tasks' || e.kind === 'delete') return [];
    const t = e.object as Task;
    return removable(t) || historic(t) ? [t.serviceId] : [];
  }

  protected allKeys(r: StoreReader): Iterable<string> {
    return new Set(r.tasks.all().map((t) => t.serviceId));
  }

  protected plan(r: StoreReader, serviceId: string): readonly TaskChange[] {
    return planReap(r.tasks.byService(serviceId), historyLimitOf(r));
  }
}
