import type { Task } from '../../core/model/types';
import type { SchedulingDecision } from '../../core/scheduler/contract';

/** A task's PENDING message when the cluster has no node at all to consider. */
export const NO_NODES_REASON = 'no suitable node (no nodes available)';

/**
 * Formats why a task has no node, from how many nodes each filter explanation turned down, most
 * frequent first (ties alphabetically): `no suitable node (insufficient resources on 2 nodes; constraint not met on 1 node)`.
 */
export function pendingReason(rejections: ReadonlyMap<string, number>): string {
  if (rejections.size === 0) return NO_NODES_REASON;
  const parts = [...rejections]
    .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))
    .map(([explanation, n]) => `${explanation} on ${n} ${n === 1 ? 'node' : 'nodes'}`);
  return `no suitable node (${parts.join('; ')})`;
}

/** The decision for `task`: its node, or, when it has none, why (see `pendingReason`). */
export function decide(task: Task, nodeId: string | undefined, rejections: ReadonlyMap<string, number>): SchedulingDecision {
  return nodeId === undefined ? { taskId: task.id, reason: pendingReason(rejections) } : { taskId: task.id, nodeId };
}
