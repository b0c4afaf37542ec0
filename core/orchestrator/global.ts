import type { Logger } from 'pino';
import type { Hooks } from '../hooks';
import { replicasOf } from '../model/service-spec';
import { isTerminal, stateRank, wantsToRun } from '../model/task-state';
import type { Node, Service, Task } from '../model/types';
import type { ChangeEvent, ClusterStore, StoreReader } from '../store/contract';
import { nodeMatcher } from '../scheduler/constraint-lookup';
import { acceptsNewTasks, keepsTasks } from './eligibility';
import { groupBy } from './group-by';
import type { Clock } from './planning-loop';
import { ServiceOrchestrator } from './service-orchestrator';
import { matchesService } from './updater-plan';
import { desire, newTask, type TaskChange } from './task-changes';

/** Which of a node's duplicate tasks stays: one still alive, the furthest along, then the oldest. */
function keepOrder(a: Task, b: Task): number {
  return (
    Number(isTerminal(a.status.state)) - Number(isTerminal(b.status.state)) ||
    stateRank(b.status.state) - stateRank(a.status.state) ||
    a.meta.createdAt.localeCompare(b.meta.createdAt) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * The tasks on one node beyond those it keeps: one task stays, or two during a rolling update, the new
 * task (it matches the service) and the old one it replaces, until the updater retires the old.
 */
function extras(held: readonly Task[], service: Service): Task[] {
  const fresh = held.filter((t) => matchesService(t, service)).sort(keepOrder);
  const stale = held.filter((t) => !matchesService(t, service)).sort(keepOrder);
  return [...fresh.slice(1), ...stale.slice(1)];
}

/**
 * Plans a global service: one task per eligible node. A node gets a task when it is up (or unknown, at
 * start), active, and every placement constraint holds (a constraint on an unknown key never does);
 * the task is created with the node set. A node keeps its task until it is drained or removed or a
 * constraint stops holding; then the task is shut down. A DOWN node keeps its task: it cannot move.
 * Of several tasks on one node, one stays (see `extras`: a rolling update's pair stays). A task desired RUNNING that ended and was not restarted
 * still holds its node. Pure.
 */
export function planGlobal(service: Service, tasks: readonly Task[], nodes: readonly Node[], hooks: Hooks, now: Date): TaskChange[] {
  const fits = nodeMatcher(service.spec.task.placement.constraints, hooks);
  const live = tasks.filter((t) => wantsToRun(t.desiredState));
  const onNode = (t: Task): t is Task & { nodeId: string } => t.slot === undefined && t.nodeId !== undefined;
  // A task with a slot or without a node is no global task (the service was replicated once): it goes.
  const changes: TaskChange[] = live.filter((t) => !onNode(t)).map((t) => desire(t, 'shutdown'));
  const byNode = groupBy(live.filter(onNode), (t) => t.nodeId);
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  for (const [nodeId, held] of byNode) {
    const node = nodeById.get(nodeId);
    const leaving = keepsTasks(node) && fits(node) ? extras(held, service) : held;
    for (const t of leaving) changes.push(desire(t, 'shutdown'));
  }
  for (const node of nodes) {
    if (!byNode.has(node.id) && acceptsNewTasks(node) && fits(node)) changes.push({ kind: 'create', task: newTask(service, { nodeId: node.id }, now) });
  }
  return changes;
}

/** The parts of a node that eligibility reads (so heartbeats alone do not trigger a pass). */
function eligibilityView(n: Node): string {
  return JSON.stringify([n.spec, n.description, n.status.state, n.status.addr]);
}

/**
 * The global orchestrator: runs each global service on every eligible node (`planGlobal`) and marks
 * the tasks of deleted services (those without a slot) desired REMOVE.
 */
export class GlobalOrchestrator extends ServiceOrchestrator {
  constructor(
    store: ClusterStore,
    private readonly hooks: Hooks,
    log: Logger,
    clock: Clock,
  ) {
    super(store, log, { name: 'global-orchestrator' }, clock);
  }

  protected ownsService(service: Service): boolean {
    return replicasOf(service.spec) === undefined;
  }

  protected ownsTask(task: Task): boolean {
    return task.slot === undefined;
  }

  /** Every global service, when a node came, went, or changed in a way eligibility sees. */
  protected servicesAffectedBy(r: StoreReader, e: ChangeEvent & { readonly object: Node }): readonly string[] {
    const changed = e.kind !== 'update' || eligibilityView(e.object) !== eligibilityView(e.previous as Node);
    return changed ? r.services.all().filter((s) => this.ownsService(s)).map((s) => s.id) : [];
  }

  protected planService(r: StoreReader, service: Service, tasks: readonly Task[], now: Date): TaskChange[] {
    return planGlobal(service, tasks, r.nodes.all(), this.hooks, now);
  }
}
