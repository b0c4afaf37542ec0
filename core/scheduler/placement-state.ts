import type { Node, Task } from '../model/types';
import { isTerminal, wantsToRun } from '../model/task-state';
import type { ChangeEvent, StoreReader } from '../store/contract';
import type { NodeInfo } from './contract';
import { holdsResources, PassNodeInfo } from './node-info';
import { NodeUsage } from './node-usage';

/** True for a task the scheduler should place. */
export function isPending(t: Task): boolean {
  return t.status.state === 'pending' && wantsToRun(t.desiredState);
}

/** True when a task change can let a pending task be placed (or is one to place, or to stop). */
export function mayFreeOrNeedRoom(e: ChangeEvent): boolean {
  if (e.table === 'nodes') return true;
  if (e.table !== 'tasks') return false;
  const t = e.object as Task;
  return e.kind === 'delete' || isPending(t) || isTerminal(t.status.state) || !wantsToRun(t.desiredState);
}

/**
 * The scheduler's model of the cluster, kept in step with the store change by change (`apply`): every
 * node with what the tasks placed on it use, and the tasks waiting to be placed. Made whole from the
 * store with `rebuild`. A pass then costs what it places, not the size of the cluster. Pure: no I/O.
 */
export class PlacementState {
  private readonly nodes = new Map<string, Node>();
  /** By node id; a node the store does not have (yet) keeps the usage of the tasks that name it. */
  private readonly usage = new Map<string, NodeUsage>();
  private readonly pending = new Map<string, Task>();
  /** PENDING tasks no longer wanted: never placed, to be marked SHUTDOWN. */
  private readonly unwanted = new Map<string, Task>();

  /** Forgets everything and reads the nodes and tasks of `r`. */
  rebuild(r: StoreReader): void {
    this.nodes.clear();
    this.usage.clear();
    this.pending.clear();
    this.unwanted.clear();
    for (const n of r.nodes.all()) this.nodes.set(n.id, n);
    for (const t of r.tasks.all()) this.taskChanged(undefined, t);
  }

  /** Follows one committed change. */
  apply(e: ChangeEvent): void {
    if (e.table === 'nodes') {
      if (e.kind === 'delete') {
        this.nodes.delete(e.object.id);
        if (this.usage.get(e.object.id)?.tasks === 0) this.usage.delete(e.object.id);
      } else this.nodes.set(e.object.id, e.object as Node);
    } else if (e.table === 'tasks') {
      if (e.kind === 'delete') this.taskChanged(e.object as Task, undefined);
      else this.taskChanged(e.previous as Task | undefined, e.object as Task);
    }
  }

  /** The tasks waiting to be placed, oldest first. */
  pendingTasks(): Task[] {
    return [...this.pending.values()];
  }

  /** The PENDING tasks asked to stop before they were placed. */
  unwantedTasks(): Task[] {
    return [...this.unwanted.values()];
  }

  /** A pending task by id. */
  pendingTask(id: string): Task | undefined {
    return this.pending.get(id);
  }

  /** Fresh NodeInfos for one pass, over the current usage, in the store's node order. */
  passInfos(): NodeInfo[] {
    const infos: NodeInfo[] = [];
    for (const n of this.nodes.values()) infos.push(new PassNodeInfo(n, this.usageOf(n.id)));
    return infos;
  }

  private taskChanged(prev: Task | undefined, next: Task | undefined): void {
    const held = prev !== undefined && holdsResources(prev);
    const holds = next !== undefined && holdsResources(next);
    // A status change on the same node uses the same (shared) spec and ports: nothing to recount.
    const same = held && holds && prev.nodeId === next.nodeId && prev.spec === next.spec && prev.ports === next.ports && prev.serviceId === next.serviceId;
    if (!same) {
      if (held) this.release(prev);
      if (holds) this.usageOf(next.nodeId).add(next);
    }
    const id = (next ?? prev)!.id;
    if (next !== undefined && isPending(next)) this.pending.set(id, next);
    else this.pending.delete(id);
    if (next?.status.state === 'pending' && !wantsToRun(next.desiredState)) this.unwanted.set(id, next);
    else this.unwanted.delete(id);
  }

  private release(task: Task & { readonly nodeId: string }): void {
    const usage = this.usageOf(task.nodeId);
    usage.remove(task);
    if (usage.tasks === 0 && !this.nodes.has(task.nodeId)) this.usage.delete(task.nodeId);
  }

  private usageOf(nodeId: string): NodeUsage {
    let u = this.usage.get(nodeId);
    if (!u) this.usage.set(nodeId, (u = new NodeUsage()));
    return u;
  }
}
