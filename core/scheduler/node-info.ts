import { TASK_STATES, isActive, type TaskState } from '../model/task-state';
import type { Node, Resources, Task } from '../model/types';
import type { NodeInfo } from './contract';
import { NodeUsage } from './node-usage';
import { SumMap, UnionSet } from './overlay-views';

/** States in which a placed task holds its node's resources (`isActive`), as a set for a fast test. */
const ACTIVE: ReadonlySet<TaskState> = new Set(TASK_STATES.filter(isActive));

/**
 * True when `task` occupies resources on its node: it has a node and has been placed there (ASSIGNED)
 * but has not stopped yet (up to RUNNING), whatever its desired state — a task asked to shut down keeps
 * its reservations and host ports until it has actually stopped.
 * A PENDING task with a preset node (a global service's task) is not counted: it is not placed yet, and
 * the scheduler counts it when it places it.
 */
export function holdsResources(task: Task): task is Task & { readonly nodeId: string } {
  return task.nodeId !== undefined && ACTIVE.has(task.status.state);
}

/**
 * A node as one scheduling pass sees it: what the store has placed there (`base`, never changed here)
 * plus what this pass places (`place`), so later decisions of the pass see earlier ones.
 */
export class PassNodeInfo implements NodeInfo {
  /** This pass's placements; views over both sides, made on the first placement. */
  private own: { readonly usage: NodeUsage; readonly byService: SumMap; readonly ports: UnionSet } | undefined;
  /** `reserved` and `available` as objects, made on first read after a change. */
  private totals: { readonly reserved: Resources; readonly available: Resources } | undefined;

  constructor(
    readonly node: Node,
    private readonly base: NodeUsage,
  ) {}

  get activeTasks(): number {
    return this.base.tasks + (this.own?.usage.tasks ?? 0);
  }

  get tasksByService(): ReadonlyMap<string, number> {
    return this.own?.byService ?? this.base.byService;
  }

  get usedHostPorts(): ReadonlySet<string> {
    return this.own?.ports ?? this.base.ports;
  }

  get reserved(): Resources {
    return this.resourceTotals().reserved;
  }

  get available(): Resources {
    return this.resourceTotals().available;
  }

  place(task: Task): void {
    if (!this.own) {
      const usage = new NodeUsage();
      this.own = { usage, byService: new SumMap(this.base.byService, usage.byService), ports: new UnionSet(this.base.ports, usage.ports) };
    }
    this.own.usage.add(task);
    this.totals = undefined;
  }

  private resourceTotals(): { readonly reserved: Resources; readonly available: Resources } {
    if (this.totals) return this.totals;
    const total = this.node.description.resources;
    const nanoCpus = this.base.reservedCpus + (this.own?.usage.reservedCpus ?? 0);
    const memoryBytes = this.base.reservedMemory + (this.own?.usage.reservedMemory ?? 0);
    return (this.totals = {
      reserved: { nanoCpus, memoryBytes },
      available: { nanoCpus: total.nanoCpus - nanoCpus, memoryBytes: total.memoryBytes - memoryBytes },
    });
  }
}

/**
 * Builds the scheduler's view of every node from the cluster's tasks, in one pass over the tasks.
 * Tasks that do not hold resources (see `holdsResources`) or sit on unknown nodes are ignored. Pure:
 * returns fresh objects, one per node, in the order of `nodes`.
 */
export function buildNodeInfos(nodes: readonly Node[], tasks: readonly Task[]): NodeInfo[] {
  const usage = new Map(nodes.map((n) => [n.id, new NodeUsage()]));
  for (const t of tasks) {
    if (holdsResources(t)) usage.get(t.nodeId)?.add(t);
  }
  return nodes.map((n) => new PassNodeInfo(n, usage.get(n.id)!));
}
