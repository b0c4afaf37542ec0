import type { Node } from '../model/types';

/** True when a new task may start on `node`: it is up (or not heard from yet, at start) and active. */
export function acceptsNewTasks(node: Node): boolean {
  return (node.status.state === 'ready' || node.status.state === 'unknown') && node.spec.availability === 'active';
}

/** True when `node` may keep the tasks it has: it is not drained (a paused node keeps them). */
export function keepsTasks(node: Node | undefined): node is Node {
  return node !== undefined && node.spec.availability !== 'drain';
}

/**
 * True when the replicated tasks on `node` may stay there: it keeps tasks (see keepsTasks) and is not
 * DOWN. The tasks of a DOWN node are replaced elsewhere; a global task cannot move and stays.
 */
export function keepsReplicas(node: Node | undefined): node is Node {
  return keepsTasks(node) && node.status.state !== 'down';
}
