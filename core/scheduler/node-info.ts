import { TASK_STATES, isActive, type TaskState } from '../model/task-state';
import type { Node, Resources, Task } from '../model/types';
import type { NodeInfo } from './contract';

const NO_PORTS: readonly string[] = [];
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

/** The host-mode ports a task binds on its node, as `tcp/8080` (ports still to be allocated are skipped). */
export function hostPortKeys(task: Task): readonly string[] {
  let keys: string[] | undefined;
  for (const p of task.ports) {
    if (p.publishMode === 'host' && p.publishedPort > 0) (keys ??= []).push(`${p.protocol}/${p.publishedPort}`);
  }
  return keys ?? NO_PORTS;
}

/** A node plus what is placed on it, updated in place as the scheduler places tasks. */
export class TrackedNodeInfo implements NodeInfo {
  private tasks = 0;
  private readonly byService = new Map<string, number>();
  private readonly ports = new Set<string>();
  private reservedCpus = 0;
  private reservedMemory = 0;
  /** `reserved` and `available` as objects, made on first read after a change. */
  private totals: { readonly reserved: Resources; readonly available: Resources } | undefined;

  constructor(readonly node: Node) {}

  get activeTasks(): number {
    return this.tasks;
  }

  get tasksByService(): ReadonlyMap<string, number> {
    return this.byService;
  }

  get usedHostPorts(): ReadonlySet<string> {
    return this.ports;
  }

  get reserved(): Resources {
    return this.resourceTotals().reserved;
  }

  get available(): Resources {
    return this.resourceTotals().available;
  }

  place(task: Task): void {
    this.tasks++;
    this.byService.set(task.serviceId, (this.byService.get(task.serviceId) ?? 0) + 1);
    for (const key of hostPortKeys(task)) this.ports.add(key);
    const { nanoCpus = 0, memoryBytes = 0 } = task.spec.resources.reservations;
    if (nanoCpus === 0 && memoryBytes === 0) return;
    this.reservedCpus += nanoCpus;
    this.reservedMemory += memoryBytes;
    this.totals = undefined;
  }

  private resourceTotals(): { readonly reserved: Resources; readonly available: Resources } {
    const total = this.node.description.resources;
    return (this.totals ??= {
      reserved: { nanoCpus: this.reservedCpus, memoryBytes: this.reservedMemory },
      available: { nanoCpus: total.nanoCpus - this.reservedCpus, memoryBytes: total.memoryBytes - this.reservedMemory },
    });
  }
}

/**
 * Builds the scheduler's view of every node from the cluster's tasks, in one pass over the tasks.
 * Tasks that do not hold resources (see `holdsResources`) or sit on unknown nodes are ignored. Pure:
 * returns fresh objects, one per node, in the order of `nodes`.
 */
export function buildNodeInfos(nodes: readonly Node[], tasks: readonly Task[]): NodeInfo[] {
  const infos = nodes.map((n) => new TrackedNodeInfo(n));
  const byId = new Map(infos.map((i) => [i.node.id, i]));
  for (const t of tasks) {
    if (holdsResources(t)) byId.get(t.nodeId)?.place(t);
  }
  return infos;
}
