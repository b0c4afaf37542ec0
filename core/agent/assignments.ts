import type { Task } from '../model/types';
import type { RouteChange } from '../network/contract';
import { fullRoutes, routeChange } from '../network/routes';
import { canTransition, type TaskState } from '../model/task-state';
import type { ClusterStore, StoreReader, WriteTx } from '../store/contract';
import { oncePerBatch } from '../store/once-per-batch';
import type { AssignmentChange, StatusUpdate } from './contract';

/** What one committed batch changes: each node's assignments (by node id) and the routing state. */
interface BatchChange {
  readonly byNode: ReadonlyMap<string, { readonly tasks: Task[]; readonly removed: string[] }>;
  readonly routes: RouteChange | undefined;
}

/** States a manager sets; from ACCEPTED on, a task's status is what its node reported. */
const MANAGER_STATES: ReadonlySet<TaskState> = new Set(['new', 'pending', 'assigned']);

/**
 * True for an update that only records a status the task's own node reported (it already knows): the
 * node acts on its tasks' desired state, spec and placement, never on its own reports sent back. Fields
 * an update leaves alone are the same objects (the store shares them between versions).
 */
function echoesNode(t: Task, prev: Task | undefined): boolean {
  if (!prev || MANAGER_STATES.has(t.status.state)) return false;
  const a = t as unknown as Record<string, unknown>;
  const b = prev as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k !== 'status' && k !== 'meta' && a[k] !== b[k]) return false;
  }
  return true;
}

/**
 * What a batch of committed changes changes, read once for all the nodes that watch it (the leader has a
 * watch per node: reading the batch per node made each commit cost nodes × events). A task that moved to
 * another node counts as removed from the one it left.
 */
const batchChange = oncePerBatch((events): BatchChange => {
  const byNode = new Map<string, { tasks: Task[]; removed: string[] }>();
  const of = (nodeId: string) => byNode.get(nodeId) ?? byNode.set(nodeId, { tasks: [], removed: [] }).get(nodeId)!;
  for (const e of events) {
    if (e.table !== 'tasks') continue;
    const t = e.object as Task;
    if (t.nodeId !== undefined) {
      if (e.kind === 'delete') of(t.nodeId).removed.push(t.id);
      else if (!echoesNode(t, e.previous as Task | undefined)) of(t.nodeId).tasks.push(t);
    }
    const before = (e.previous as Task | undefined)?.nodeId;
    if (before !== undefined && before !== t.nodeId) of(before).removed.push(t.id);
  }
  return { byNode, routes: routeChange(events) };
});

/**
 * Follows the tasks assigned to `nodeId` and the routing state every node holds: calls `onChange` at once
 * with the complete set of both, then with every committed change to either, from the version the
 * complete set was read at (nothing is missed or seen twice). A task that moves to another node counts
 * as removed. Returns a function that stops it.
 */
export function watchAssignments(
  store: ClusterStore,
  nodeId: string,
  onChange: (change: AssignmentChange) => void,
  /** The complete routing state at the version read (the leader's dispatcher keeps it live). */
  routesAt: (r: StoreReader) => RouteChange = fullRoutes,
): () => void {
  return store.view((r) => {
    onChange({ full: true, tasks: r.tasks.byNode(nodeId), removed: [], routes: routesAt(r) });
    return store.watch((events) => {
      const { byNode, routes } = batchChange(events);
      const mine = byNode.get(nodeId);
      const change: AssignmentChange = { full: false, tasks: mine?.tasks ?? [], removed: mine?.removed ?? [] };
      if (mine || routes) onChange(routes ? { ...change, routes } : change);
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
