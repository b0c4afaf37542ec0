import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_UPDATE_CONFIG } from '../model/service-spec';
import { isTerminal, wantsToRun } from '../model/task-state';
import type { Service, Task, TaskSpec, UpdateConfig, UpdateStatus } from '../model/types';
import { groupBy } from './group-by';
import { stillStopping } from './stopping';
import { desire, newTask, placementOf, type TaskChange } from './task-changes';

/** What the updater does for one service: steps to write, the status to store, and when to look again. */
export interface UpdatePlan {
  readonly changes: TaskChange[];
  /** The service's new update status, when it changes. */
  readonly status?: UpdateStatus;
  /** Epoch ms at which the plan must be made again (a batch delay or the monitor period ends). */
  readonly wakeAt?: number;
  /** Set when the update must be rolled back (failure action `rollback`): why, for the rollback's status. */
  readonly rollback?: string;
}

/** `x` as JSON would store it: fields set to undefined dropped, so that stored and fresh objects compare alike. */
const stored = (x: unknown): unknown => JSON.parse(JSON.stringify(x ?? null));

/** The last comparison of each task spec with its service's, by reference (stored objects never change; a status update keeps the spec). */
const compared = new WeakMap<TaskSpec, { readonly service: TaskSpec; readonly ports: Task['ports']; readonly servicePorts: Service['endpoint']['ports']; readonly same: boolean }>();

/**
 * True when the task has its service's task spec and endpoint ports: at once when it was made from the service's
 * current spec version, else by comparing them. Remembered per task spec until any of
 * the objects compared is another: comparing anew on every pass (through JSON) was the busiest leader's
 * largest cost with 100,000 tasks.
 */
function sameSpecAndPorts(task: Task, service: Service): boolean {
  // Made from the service's current spec version: same spec and ports (ports change only with a new version).
  if (task.specVersion === service.specVersion) return true;
  const last = compared.get(task.spec);
  if (last && last.service === service.spec.task && last.ports === task.ports && last.servicePorts === service.endpoint.ports) return last.same;
  const same = isDeepStrictEqual(stored(task.spec), stored(service.spec.task)) && isDeepStrictEqual(stored(task.ports), stored(service.endpoint.ports));
  compared.set(task.spec, { service: service.spec.task, ports: task.ports, servicePorts: service.endpoint.ports, same });
  return same;
}

/**
 * True when a task was made from what its service now asks of it: the same TaskSpec, endpoint ports and
 * (once the allocator has seen it) networks. A spec change that leaves them alone (e.g. replicas) keeps
 * the task. Pure.
 */
export function matchesService(task: Task, service: Service): boolean {
  if (!sameSpecAndPorts(task, service)) return false;
  if (task.status.state === 'new') return true;
  const networks = (task.networks ?? []).map((n) => n.networkId);
  return isDeepStrictEqual(networks, (service.spec.networks ?? []).map((n) => n.target));
}

/** The key of a task's slot: its slot number, or its node for a global task. */
const slotOf = (t: Task): number | string | undefined => t.slot ?? t.nodeId;

/** True when a task of the rollout failed within the monitor period after it started (or was made, if it never ran). */
function failedEarly(task: Task, monitorMs: number): boolean {
  const { state, timestamp, startedAt } = task.status;
  return (state === 'failed' || state === 'rejected') && Date.parse(timestamp) - Date.parse(startedAt ?? task.meta.createdAt) <= monitorMs;
}

/** Why a rollout stops: the task that tipped it over, as swarm mode words it. */
function failureMessage(what: string, task: Task): string {
  return `${what} due to failure or early termination of task ${task.id}: ${task.status.err ?? task.status.message}`;
}

/**
 * Raises the stop-first replacements held at READY whose slot has no other task still stopping (see
 * `stillStopping`). The
 * updater's replacements are the READY tasks without restart history (a restart's always has some).
 */
function raiseHeld(tasks: readonly Task[], down: ReadonlySet<string>): TaskChange[] {
  const stopping = new Set(tasks.filter((t) => stillStopping(t, down)).map(slotOf));
  return tasks.filter((t) => t.desiredState === 'ready' && t.restartHistory.length === 0 && !stopping.has(slotOf(t))).map((t) => desire(t, 'running'));
}

/**
 * The config the service's rollout follows: the rollback config of the spec it leaves while a rollback of
 * the current spec version is under way (`rollingBack`), else its update config; the defaults where unset.
 */
export function rolloutOf(service: Service): { readonly config: UpdateConfig; readonly rollingBack: boolean } {
  const rollingBack = service.updateStatus?.specVersion === service.specVersion && service.updateStatus.state === 'rollback_started';
  const config = rollingBack ? (service.previousSpec?.rollbackConfig ?? service.spec.rollbackConfig) : service.spec.updateConfig;
  return { config: config ?? DEFAULT_UPDATE_CONFIG, rollingBack };
}

/**
 * True while a rollout (an update or a rollback) of the service's current spec version is under way: only
 * then do its tasks' moves matter to the updater (a spec change starts one, and is a change of its own).
 */
export function rollingOut(service: Service): boolean {
  const current = service.updateStatus;
  return current?.specVersion === service.specVersion && (current.state === 'updating' || current.state === 'rollback_started');
}

/**
 * Plans the rolling update of one service. A slot (a node, for a global service) is dirty while one of
 * its live tasks (desired RUNNING or READY) does not match the service (`matchesService`); an update
 * starts (status `updating`) when the spec version moved past the last update's and some slot is dirty.
 * A rollback (status `rollback_started`, written by `rolledBack`) proceeds the same way with the rollback
 * config of the spec it leaves. Dirty slots are replaced in batches of `parallelism` (0: all at once),
 * lowest first: `stop-first` desires the old tasks SHUTDOWN and creates the new task held at READY in the
 * same step (so no other loop sees the slot empty), and raises it to RUNNING once the old ones stopped;
 * `start-first` creates the new task beside the old, and shuts the old down once the new one is RUNNING.
 * The next batch starts once every new task runs and `delayMs` passed since the last one started. A new
 * task that ends FAILED or REJECTED within `monitorMs` of its start is a failure; more failures than
 * `maxFailureRatio` of the slots apply the failure action: `pause` stops the rollout (status `paused`, or
 * `rollback_paused`) until the spec changes again, `rollback` asks for a rollback (`UpdatePlan.rollback`),
 * `continue` carries on. The rollout completes (`completed`, or `rollback_completed` keeping the rollback's
 * reason) once no slot is dirty and the new tasks ran for `monitorMs`. A paused or completed rollout of the current version plans
 * nothing. Tasks on the nodes in `down` are not waited for. Pure.
 */
export function planUpdate(service: Service, tasks: readonly Task[], now: Date, down: ReadonlySet<string> = new Set()): UpdatePlan {
  const current = service.updateStatus;
  const settled = current?.specVersion === service.specVersion && !rollingOut(service);
  if (settled) return { changes: [] };
  const { config, rollingBack } = rolloutOf(service);
  const slotted = tasks.filter((t) => slotOf(t) !== undefined);
  const bySlot = groupBy(
    slotted.filter((t) => wantsToRun(t.desiredState)),
    (t) => slotOf(t)!,
  );
  const dirty = [...bySlot].filter(([, ts]) => ts.some((t) => !matchesService(t, service)));
  const updating = current?.specVersion === service.specVersion;
  if (!updating && dirty.length === 0) return { changes: [] };
  const startedAt = updating ? current.startedAt : now.toISOString();
  const status: UpdateStatus | undefined = updating ? undefined : { state: 'updating', startedAt, message: 'update in progress', specVersion: service.specVersion };
  const settle = (state: UpdateStatus['state'], message: string): UpdateStatus => ({ state, startedAt, completedAt: now.toISOString(), message, specVersion: service.specVersion });

  const made = slotted.filter((t) => matchesService(t, service) && t.meta.createdAt >= startedAt);
  const failures = made.filter((t) => failedEarly(t, config.monitorMs));
  if (failures.length > config.maxFailureRatio * Math.max(1, bySlot.size)) {
    const last = failures[failures.length - 1];
    if (config.failureAction === 'rollback' && !rollingBack) return { changes: [], rollback: failureMessage('update rolled back', last) };
    if (config.failureAction !== 'continue') {
      return { changes: [], status: rollingBack ? settle('rollback_paused', failureMessage('rollback paused', last)) : settle('paused', failureMessage('update paused', last)) };
    }
  }

  const changes: TaskChange[] = raiseHeld(slotted, down);
  let inFlight = 0;
  const todo: [number | string, Task[]][] = [];
  for (const [slot, ts] of dirty) {
    const fresh = ts.filter((t) => matchesService(t, service));
    const old = ts.filter((t) => !matchesService(t, service));
    if (fresh.length === 0) todo.push([slot, old]);
    else if (fresh.some((t) => t.status.state === 'running')) for (const t of old) changes.push(desire(t, 'shutdown'));
    else inFlight++;
  }
  const starting = (t: Task) => t.status.state !== 'running' && !isTerminal(t.status.state);
  for (const ts of bySlot.values()) if (ts.every((t) => matchesService(t, service)) && ts.some(starting)) inFlight++;

  const started = made.filter((t) => t.status.state === 'running' && wantsToRun(t.desiredState)).map((t) => Date.parse(t.status.startedAt ?? t.status.timestamp));
  const lastStart = started.length > 0 ? Math.max(...started) : undefined;
  if (todo.length === 0 && changes.length === 0 && inFlight === 0) {
    const settles = (lastStart ?? 0) + config.monitorMs;
    if (settles > now.getTime()) return { changes, status, wakeAt: settles };
    return { changes, status: rollingBack ? settle('rollback_completed', `rollback completed: ${current!.message}`) : settle('completed', 'update completed') };
  }
  if (inFlight > 0 || todo.length === 0) return { changes, status };
  const due = lastStart === undefined ? 0 : lastStart + config.delayMs;
  if (due > now.getTime()) return { changes, status, wakeAt: due };

  const order = (a: number | string, b: number | string) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));
  const batch = todo.sort(([a], [b]) => order(a, b)).slice(0, config.parallelism === 0 ? todo.length : config.parallelism);
  for (const [, old] of batch) {
    const placement = placementOf(old[0])!;
    if (config.order === 'start-first') changes.push({ kind: 'create', task: newTask(service, placement, now) });
    else old.forEach((t, i) => changes.push(desire(t, 'shutdown', i === 0 ? newTask(service, placement, now, { desiredState: 'ready' }) : undefined)));
  }
  return { changes, status };
}
