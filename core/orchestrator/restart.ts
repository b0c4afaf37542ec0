import type { Logger } from 'pino';
import { isTerminal, wantsToRun } from '../model/task-state';
import type { RestartPolicy, Service, Task } from '../model/types';
import type { ChangeEvent, ClusterStore, StoreReader } from '../store/contract';
import type { Clock } from './planning-loop';
import { downNodes, servicesOnDownedNode, stillStopping } from './stopping';
import { TimedPlanningLoop } from './timed-planning-loop';
import { desire, newTask, placementOf, type TaskChange } from './task-changes';

/**
 * Newest restarts carried to a replacement when the policy counts fewer (or none): enough to show a
 * crash loop without letting an unlimited policy grow the task forever.
 */
const KEPT_RESTARTS = 10;

/** What the restart supervisor does for one service: steps to write now, and when to look again. */
export interface RestartPlan {
  readonly changes: TaskChange[];
  /** Epoch ms at which a replacement held at READY is due to be raised to RUNNING. */
  readonly wakeAt?: number;
}

/** The restarts of `history` inside the policy's window (all of them when the window is unbounded). */
export function restartsInWindow(history: readonly string[], policy: RestartPolicy, now: Date): string[] {
  if (policy.windowMs === 0) return [...history];
  const since = now.getTime() - policy.windowMs;
  return history.filter((at) => Date.parse(at) > since);
}

/** True when the task ended in failure: FAILED, REJECTED, or a non-zero exit code. */
function endedInFailure(task: Task): boolean {
  const { state, exitCode } = task.status;
  return state === 'failed' || state === 'rejected' || (exitCode !== undefined && exitCode !== 0);
}

/**
 * True when an ended task should be replaced under its own restart policy: condition `any`, or
 * `on-failure` and it failed; and, with `maxAttempts` set, fewer restarts than that in the window. Pure.
 */
export function shouldRestart(task: Task, now: Date): boolean {
  const policy = task.spec.restartPolicy;
  if (policy.condition === 'none' || (policy.condition === 'on-failure' && !endedInFailure(task))) return false;
  return policy.maxAttempts === 0 || restartsInWindow(task.restartHistory, policy, now).length < policy.maxAttempts;
}

/** The history a replacement carries: the old task's restarts in the window, plus this one. */
export function nextRestartHistory(task: Task, now: Date): string[] {
  const policy = task.spec.restartPolicy;
  return [...restartsInWindow(task.restartHistory, policy, now), now.toISOString()].slice(-Math.max(policy.maxAttempts, KEPT_RESTARTS));
}

/** Epoch ms at which a task held at READY may run: its restart delay after it was created. */
function dueAt(task: Task): number {
  return Date.parse(task.meta.createdAt) + task.spec.restartPolicy.delayMs;
}

/**
 * True when another task of `task`'s slot (node, for a global task) wants to run and has not ended: e.g.
 * the new task a start-first update started beside it. The slot is served; restarting would double it.
 */
function hasLiveSibling(task: Task, tasks: readonly Task[]): boolean {
  return tasks.some((t) => t.id !== task.id && sameSlot(task, t) && wantsToRun(t.desiredState) && !isTerminal(t.status.state));
}

/** True when `b` holds the same slot as `a` (the same node, for a global task). */
function sameSlot(a: Task, b: Task): boolean {
  return a.slot !== undefined ? b.slot === a.slot : b.slot === undefined && b.nodeId === a.nodeId;
}

/**
 * True when another task of `task`'s slot (node, for a global task) was desired SHUTDOWN and has not
 * stopped yet (see `stillStopping`): e.g. the old task of a stop-first update, whose successor must not
 * start before it ends.
 */
function hasStoppingSibling(task: Task, tasks: readonly Task[], down: ReadonlySet<string>): boolean {
  return tasks.some((t) => t.id !== task.id && sameSlot(task, t) && stillStopping(t, down));
}

/**
 * Plans the restarts of one service. A task desired RUNNING or READY that ended is, if `shouldRestart`
 * allows and no other live task holds its slot, desired SHUTDOWN and replaced in the same step: same slot (same node for a global task),
 * current spec, held at READY for the spec's restart delay (RUNNING at once when the delay is 0).
 * A task whose restart is refused stays as it is. A task held at READY whose delay has passed is
 * raised to RUNNING unless
 * another task of its slot is still stopping (one on a node in `down` is not); otherwise `wakeAt` says when
 * the earliest one is due. Pure.
 */
export function planRestarts(service: Service, tasks: readonly Task[], now: Date, down: ReadonlySet<string> = new Set()): RestartPlan {
  const changes: TaskChange[] = [];
  let wakeAt: number | undefined;
  const delayed = service.spec.task.restartPolicy.delayMs > 0;
  for (const t of tasks) {
    if (!wantsToRun(t.desiredState)) continue;
    const placement = placementOf(t);
    if (isTerminal(t.status.state)) {
      if (!placement || !shouldRestart(t, now) || hasLiveSibling(t, tasks)) continue;
      const options = { desiredState: delayed ? 'ready' : 'running', restartHistory: nextRestartHistory(t, now) } as const;
      changes.push(desire(t, 'shutdown', newTask(service, placement, now, options)));
    } else if (t.desiredState === 'ready' && !hasStoppingSibling(t, tasks, down)) {
      const due = dueAt(t);
      if (due <= now.getTime()) changes.push(desire(t, 'running'));
      else wakeAt = Math.min(wakeAt ?? due, due);
    }
  }
  return { changes, wakeAt };
}

/**
 * The restart supervisor: the only loop that replaces ended tasks (`planRestarts`), and the one that
 * raises delayed replacements to RUNNING when their delay is up — on a timer, computed from the task's
 * creation time in the store, so a restarted manager keeps the delay instead of starting it over.
 */
export class RestartSupervisor extends TimedPlanningLoop {
  constructor(store: ClusterStore, log: Logger, clock: Clock) {
    super(store, log, { name: 'restart-supervisor' }, clock);
  }

  protected keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'nodes') return this.store.view((r) => servicesOnDownedNode(r, e));
    if (e.table !== 'tasks' || e.kind === 'delete') return [];
    const t = e.object as Task;
    const needsCare = t.desiredState === 'ready' || (wantsToRun(t.desiredState) && isTerminal(t.status.state));
    return needsCare ? [t.serviceId] : [];
  }

  protected allKeys(r: StoreReader): Iterable<string> {
    return r.services.all().map((s) => s.id);
  }

  protected plan(r: StoreReader, serviceId: string, now: Date): readonly TaskChange[] {
    const service = r.services.get(serviceId);
    const { changes, wakeAt } = service ? planRestarts(service, r.tasks.byService(serviceId), now, downNodes(r)) : { changes: [], wakeAt: undefined };
    this.wakeAt(serviceId, wakeAt);
    return changes;
  }
}
