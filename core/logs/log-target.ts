import { taskName } from '../api/task-handlers';
import { resolveRef } from '../api/resolve';
import { NotFoundError } from '../errors';
import type { Task } from '../model/types';
import type { StoreReader } from '../store/contract';
import type { LogTaskContext } from './contract';

/** What a `ServiceLogs` call reads: every task of a service, or one task. */
export interface LogTarget {
  /** The service, when the reference named one. */
  readonly serviceId?: string;
  /** The task, when the reference named one. */
  readonly taskId?: string;
  /** True for a task of the target (present or later). */
  matches(t: Task): boolean;
}

/**
 * The target a user's reference names, as `docker service logs SERVICE|TASK` reads it: a service (id,
 * name or unique id prefix) first, else a task (id or unique id prefix). Pure.
 * @throws NotFoundError `service or task <ref> not found`; OrchError `invalid` for an ambiguous prefix
 */
export function resolveLogTarget(r: StoreReader, ref: string): LogTarget {
  try {
    const { id } = resolveRef('service', ref, r.services.all(), (s) => s.spec.name);
    return { serviceId: id, matches: (t) => t.serviceId === id };
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  try {
    const { id } = resolveRef('task', ref, r.tasks.all(), (t) => t.id);
    return { taskId: id, matches: (t) => t.id === id };
  } catch (err) {
    throw err instanceof NotFoundError ? new NotFoundError('service or task', ref) : err;
  }
}

/** True for a task that has logs somewhere: it was prepared on a node (so it has a container there). */
export function hasLogs(t: Task): t is Task & { nodeId: string } {
  return t.nodeId !== undefined && t.status.runtimeId !== undefined;
}

/** The tasks of `target` that have logs, now. */
export function targetTasks(r: StoreReader, target: LogTarget): (Task & { nodeId: string })[] {
  const candidates = target.serviceId !== undefined ? r.tasks.byService(target.serviceId) : r.tasks.all().filter((t) => target.matches(t));
  return candidates.filter(hasLogs);
}

/** How a `ServiceLogs` stream names a task. */
export function logTaskContext(r: StoreReader, t: Task & { nodeId: string }): LogTaskContext {
  return { taskId: t.id, name: taskName(t), nodeId: t.nodeId, node: nodeName(r, t.nodeId) };
}

/** A node's hostname, or its id when the cluster no longer has it. */
export function nodeName(r: StoreReader, nodeId: string): string {
  return r.nodes.get(nodeId)?.description.hostname ?? nodeId;
}

/** Task ids grouped by node. */
export function byNode(tasks: readonly (Task & { nodeId: string })[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of tasks) groups.set(t.nodeId, [...(groups.get(t.nodeId) ?? []), t.id]);
  return groups;
}
