import type { Task } from '../model/types';
import { fullRoutes, routeChange } from '../network/routes';
import { canTransition } from '../model/task-state';
import type { ChangeEvent, ClusterStore, WriteTx } from '../store/contract';
import type { AssignmentChange, StatusUpdate } from './contract';

/** What a batch of committed changes changes in one node's assignments. */
function assignmentChange(events: readonly ChangeEvent[], nodeId: string): AssignmentChange {
  const tasks: Task[] = [];
  const removed: string[] = [];
  for (const e of events) {
    if (e.table !== 'tasks') continue;
    const t = e.object as Task;
    const mine = t.nodeId === nodeId;
    if (e.kind === 'delete') {
      if (mine) removed.push(t.id);
    } else if (mine) tasks.push(t);
    else if ((e.previous as Task | undefined)?.nodeId === nodeId) removed.push(t.id);
  }
  return { full: false, tasks, removed };
}

/**
 * Follows the tasks assigned to `nodeId` and the routing state every node holds: calls `onChange` at once
 * with the complete set of both, then with every committed change to either, from the version the
 * complete set was read at (nothing is missed or seen twice). A task that moves to another node counts
 * as removed. Returns a function that stops it.
 */
export function watchAssignments(store: ClusterStore, nodeId: string, onChange: (change: AssignmentChange) => void): () => void {
  return store.view((r) => {
    onChange({ full: true, tasks: r.tasks.byNode(nodeId), removed: [], routes: fullRoutes(r) });
    return store.watch((events) => {
      const change = assignmentChange(events, nodeId);
      const routes = routeChange(events);
      if (change.tasks.length > 0 || change.removed.length > 0 || routes) onChange(routes ? { ...change, routes } : change);
    }, r.version);
  });
}

/**
 * Applies an agent's status updates inside `tx`: only to tasks of `nodeId`, and only forward moves
 * (see canTransition). Updates for other nodes' tasks, for tasks the store no longer has, and
 * backward moves are ignored. Port bindings count only on the node's own advertise address: a node
 * cannot send the mesh's traffic elsewhere. The time a task reached RUNNING is kept as `startedAt`.
 */
export function applyStatusUpdates(tx: WriteTx, nodeId: string, updates: readonly StatusUpdate[]): void {
  const nodeAddr = tx.nodes.get(nodeId)?.status.addr;
  for (const u of updates) {
    const t = tx.tasks.get(u.taskId);
    if (!t || t.nodeId !== nodeId || !canTransition(t.status.state, u.status.state)) continue;
    const ports = u.status.ports?.filter((p) => p.hostIp === nodeAddr);
    const { ports: _claimed, startedAt: _told, ...rest } = u.status;
    const startedAt = u.status.state === 'running' ? u.status.timestamp : t.status.startedAt;
    const status = { ...rest, ...(startedAt !== undefined && { startedAt }), ...(ports && ports.length > 0 && { ports }) };
    tx.tasks.update({ ...t, status });
  }
}
