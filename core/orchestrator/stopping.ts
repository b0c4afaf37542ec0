import { isTerminal } from '../model/task-state';
import type { Node, Task } from '../model/types';
import type { ChangeEvent, StoreReader } from '../store/contract';

/** The ids of the nodes that are DOWN: their tasks cannot report stopping, so none is waited for. */
export function downNodes(r: StoreReader): ReadonlySet<string> {
  return new Set(
    r.nodes
      .all()
      .filter((n) => n.status.state === 'down')
      .map((n) => n.id),
  );
}

/**
 * True when a task told to stop may still be running: it has not ended, it was placed (a NEW or PENDING
 * task never reached a node), and its node is not DOWN (a DOWN node's task counts as gone, as its slot's
 * other tasks must not wait for it).
 */
export function stillStopping(t: Task, down: ReadonlySet<string>): boolean {
  const placed = t.status.state !== 'new' && t.status.state !== 'pending';
  return t.desiredState === 'shutdown' && placed && !isTerminal(t.status.state) && !(t.nodeId !== undefined && down.has(t.nodeId));
}

/** The services with tasks on a node this event marks DOWN: what waited for those tasks to stop may go on. */
export function servicesOnDownedNode(r: StoreReader, e: ChangeEvent): string[] {
  if (e.table !== 'nodes' || e.kind !== 'update') return [];
  const node = e.object as Node;
  if (node.status.state !== 'down' || (e.previous as Node).status.state === 'down') return [];
  return [...new Set(r.tasks.byNode(node.id).map((t) => t.serviceId))];
}
