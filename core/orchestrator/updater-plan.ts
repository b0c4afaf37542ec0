import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_UPDATE_CONFIG } from '../model/service-spec';
import { isTerminal, wantsToRun } from '../model/task-state';
import type { Service, Task, UpdateStatus } from '../model/types';
import { groupBy } from './group-by';
import { desire, newTask, type TaskChange } from './task-changes';

/** What the updater does for one service: steps to write, the status to store, and when to look again. */
export interface UpdatePlan {
  readonly changes: TaskChange[];
  /** The service's new update status, when it changes. */
  readonly status?: UpdateStatus;
  /** Epoch ms at which the plan must be made again (a batch delay or the monitor period ends). */
  readonly wakeAt?: number;
}

/** `x` as JSON would store it: fields set to undefined dropped, so that stored and fresh objects compare alike. */
const stored = (x: unknown): unknown => JSON.parse(JSON.stringify(x ?? null));

/**
 * True when a task was made from what its service now asks of it: the same TaskSpec, endpoint ports and
 * (once the allocator has seen it) networks. A spec change that leaves them alone (e.g. replicas) keeps
 * the task. Pure.
 */
export function matchesService(task: Task, service: Service): boolean {
  if (!isDeepStrictEqual(stored(task.spec), stored(service.spec.task))) return false;
  if (!isDeepStrictEqual(stored(task.ports), stored(service.endpoint.ports))) return false;
  if (task.status.state === 'new') return true;
  const networks = (task.networks ?? []).map((n) => n.networkId);
  return isDeepStrictEqual(networks, (service.spec.networks ?? []).map((n) => n.target));
}

/** True when a task of the update failed within the monitor period after it was made. */
function failedEarly(task: Task, monitorMs: number): boolean {
  const { state, timestamp } = task.status;
  return (state === 'failed' || state === 'rejected') && Date.parse(timestamp) - Date.parse(task.meta.createdAt) <= monitorMs;
}

/** The pause message naming the task that tipped the update over. */
function pauseMessage(task: Task): string {
  return `update paused due to failure or early termination of task ${task.id}: ${task.status.err ?? task.status.message}`;
}

/**
 * Raises the stop-first replacements held at READY whose slot has no other task still stopping. The
 * updater's replacements are the READY tasks without restart history (a restart's always has some).
 */
function raiseHeld(tasks: readonly (Task & { slot: number })[]): TaskChange[] {
  const stopping = new Set(tasks.filter((t) => t.desiredState === 'shutdown' && !isTerminal(t.status.state)).map((t) => t.slot));
  return tasks.filter((t) => t.desiredState === 'ready' && t.restartHistory.length === 0 && !stopping.has(t.slot)).map((t) => desire(t, 'running'));
}

/**
 * Plans the rolling update of one replicated service. A slot is dirty while one of its live tasks (desired
 * RUNNING or READY) does not match the service (`matchesService`); an update starts (status `updating`)
 * when the spec version moved past the last update's and some slot is dirty. It replaces dirty slots in
 * batches of `parallelism` (0: all at once), lowest slot first: `stop-first` desires the old tasks SHUTDOWN
 * and creates the new task held at READY in the same step (so no other loop sees the slot empty), and
 * raises it to RUNNING once the old ones stopped; `start-first` creates
 * the new task beside the old, and shuts the old down once the new one is RUNNING. The next batch starts
 * once every new task runs and `delayMs` passed since the last one started. A new task that ends FAILED or
 * REJECTED within `monitorMs` of its creation is a failure; more failures than `maxFailureRatio` of the
 * replicas pause the update (failureAction `pause`) until the spec changes again. The update completes
 * once no slot is dirty and the new tasks ran for `monitorMs`. A paused or completed update of the
 * current version plans nothing. Pure.
 */
export function planUpdate(service: Service, tasks: readonly Task[], now: Date): UpdatePlan {
  const current = service.updateStatus;
  if (current && current.specVersion === service.specVersion && current.state !== 'updating') return { changes: [] };
  const config = service.spec.updateConfig ?? DEFAULT_UPDATE_CONFIG;
  const slotted = tasks.filter((t): t is Task & { slot: number } => t.slot !== undefined);
  const bySlot = groupBy(
    slotted.filter((t) => wantsToRun(t.desiredState)),
    (t) => t.slot,
  );
  const dirty = [...bySlot].filter(([, ts]) => ts.some((t) => !matchesService(t, service)));
  const updating = current?.specVersion === service.specVersion;
  if (!updating && dirty.length === 0) return { changes: [] };
  const startedAt = updating ? current.startedAt : now.toISOString();
  const status: UpdateStatus | undefined = updating ? undefined : { state: 'updating', startedAt, message: 'update in progress', specVersion: service.specVersion };

  const made = slotted.filter((t) => matchesService(t, service) && t.meta.createdAt >= startedAt);
  const failures = made.filter((t) => failedEarly(t, config.monitorMs));
  const replicas = Math.max(1, bySlot.size);
  if (failures.length > config.maxFailureRatio * replicas && config.failureAction === 'pause') {
    const message = pauseMessage(failures[failures.length - 1]);
    return { changes: [], status: { state: 'paused', startedAt, message, specVersion: service.specVersion } };
  }

  const changes: TaskChange[] = raiseHeld(slotted);
  let inFlight = 0;
  const todo: [number, Task[]][] = [];
  for (const [slot, ts] of dirty) {
    const fresh = ts.filter((t) => matchesService(t, service));
    const old = ts.filter((t) => !matchesService(t, service));
    if (fresh.length === 0) todo.push([slot, old]);
    else if (fresh.some((t) => t.status.state === 'running')) for (const t of old) changes.push(desire(t, 'shutdown'));
    else inFlight++;
  }
  const starting = (t: Task) => t.status.state !== 'running' && !isTerminal(t.status.state);
  for (const ts of bySlot.values()) if (ts.every((t) => matchesService(t, service)) && ts.some(starting)) inFlight++;

  const started = made.filter((t) => t.status.state === 'running' && wantsToRun(t.desiredState)).map((t) => Date.parse(t.status.timestamp));
  const lastStart = started.length > 0 ? Math.max(...started) : undefined;
  if (todo.length === 0 && changes.length === 0 && inFlight === 0) {
    const settles = (lastStart ?? 0) + config.monitorMs;
    if (settles > now.getTime()) return { changes, status, wakeAt: settles };
    return { changes, status: { state: 'completed', startedAt, completedAt: now.toISOString(), message: 'update completed', specVersion: service.specVersion } };
  }
  if (inFlight > 0 || todo.length === 0) return { changes, status };
  const due = lastStart === undefined ? 0 : lastStart + config.delayMs;
  if (due > now.getTime()) return { changes, status, wakeAt: due };

  const batch = todo.sort(([a], [b]) => a - b).slice(0, config.parallelism === 0 ? todo.length : config.parallelism);
  for (const [slot, old] of batch) {
    if (config.order === 'start-first') changes.push({ kind: 'create', task: newTask(service, { slot }, now) });
    else old.forEach((t, i) => changes.push(desire(t, 'shutdown', i === 0 ? newTask(service, { slot }, now, { desiredState: 'ready' }) : undefined)));
  }
  return { changes, status };
}
