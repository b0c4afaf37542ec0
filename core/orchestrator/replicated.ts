import type { Logger } from 'pino';
import { replicasOf } from '../model/service-spec';
import { isTerminal, wantsToRun } from '../model/task-state';
import type { Node, Service, Task } from '../model/types';
import type { ChangeEvent, ClusterStore, StoreReader } from '../store/contract';
import { keepsReplicas } from './eligibility';
import type { Clock } from './planning-loop';
import { ServiceOrchestrator } from './service-orchestrator';
import { groupBy } from './group-by';
import { desire, newTask, type NodeLookup, type TaskChange } from './task-changes';

/** A slot in use and what scale-down needs to know about it. */
interface SlotInfo {
  readonly slot: number;
  readonly tasks: readonly Task[];
  readonly running: boolean;
  readonly nodeId: string | undefined;
}

/** True when a live task sits on a node that is drained, DOWN or gone: it must move. */
function stranded(task: Task, nodes: NodeLookup): boolean {
  return task.nodeId !== undefined && !isTerminal(task.status.state) && !keepsReplicas(nodes.get(task.nodeId));
}

/**
 * Orders slots for scale-down, first to go first: slots not running, then slots on the nodes holding
 * the most slots of the service (a slot that is the n-th on its node goes before an (n-1)-th), then
 * the highest slot number.
 */
function scaleDownOrder(slots: readonly SlotInfo[]): SlotInfo[] {
  const keepFirst = [...slots].sort((a, b) => Number(b.running) - Number(a.running) || a.slot - b.slot);
  const perNode = new Map<string, number>();
  const nth = new Map<number, number>();
  for (const s of keepFirst) {
    if (s.nodeId === undefined) continue;
    const n = (perNode.get(s.nodeId) ?? 0) + 1;
    perNode.set(s.nodeId, n);
    nth.set(s.slot, n);
  }
  return keepFirst.sort((a, b) => Number(a.running) - Number(b.running) || (nth.get(b.slot) ?? 0) - (nth.get(a.slot) ?? 0) || b.slot - a.slot);
}

/** The lowest `count` slot numbers (from 1) not in `used`. */
function freeSlots(used: ReadonlySet<number>, count: number): number[] {
  const out: number[] = [];
  for (let slot = 1; out.length < count; slot++) if (!used.has(slot)) out.push(slot);
  return out;
}

/**
 * Plans a replicated service: keeps exactly `replicas` slots in use. A slot is in use while one of its
 * tasks is desired RUNNING or READY, even a task that ended and was not restarted (only the restart
 * supervisor replaces ended tasks). Extra slots are shut down (see `scaleDownOrder`); missing ones are
 * created at the lowest free numbers; a task on a drained, DOWN or removed node is shut down and
 * replaced in its slot at once, keeping the slot's restart history (a DOWN node's agent stops it when the
 * node comes back, so the service never runs more than its replicas once converged). Pure.
 */
export function planReplicated(service: Service, tasks: readonly Task[], nodes: NodeLookup, now: Date): TaskChange[] {
  const live = tasks.filter((t) => wantsToRun(t.desiredState));
  // A task without a slot belongs to no replica (the service was global once): it goes.
  const changes: TaskChange[] = live.filter((t) => t.slot === undefined).map((t) => desire(t, 'shutdown'));
  const bySlot = groupBy(live.filter((t): t is Task & { slot: number } => t.slot !== undefined), (t) => t.slot);
  const slots: SlotInfo[] = [...bySlot].map(([slot, ts]) => ({
    slot,
    tasks: ts,
    running: ts.some((t) => t.status.state === 'running' && !stranded(t, nodes)),
    nodeId: ts.find((t) => t.nodeId !== undefined)?.nodeId,
  }));
  const replicas = replicasOf(service.spec) ?? 0;
  const excess = new Set(scaleDownOrder(slots).slice(0, Math.max(0, slots.length - replicas)));
  for (const s of excess) for (const t of s.tasks) changes.push(desire(t, 'shutdown'));
  const kept = slots.filter((s) => !excess.has(s));
  for (const s of kept) changes.push(...moveStranded(service, s, nodes, now));
  for (const slot of freeSlots(new Set(bySlot.keys()), replicas - kept.length)) {
    changes.push({ kind: 'create', task: newTask(service, { slot }, now) });
  }
  return changes;
}

/**
 * Shuts down a slot's tasks on drained, DOWN or removed nodes. When that leaves the slot empty, the first
 * gets a replacement in the same transaction (no restart delay), carrying the slot's restart history.
 */
function moveStranded(service: Service, slot: SlotInfo, nodes: NodeLookup, now: Date): TaskChange[] {
  const moving = slot.tasks.filter((t) => stranded(t, nodes));
  const emptied = moving.length === slot.tasks.length;
  return moving.map((t, i) =>
    desire(t, 'shutdown', emptied && i === 0 ? newTask(service, { slot: slot.slot }, now, { restartHistory: t.restartHistory }) : undefined),
  );
}

/**
 * The replicated orchestrator: keeps each replicated service at its replica count (`planReplicated`)
 * and marks the tasks of deleted services (those with a slot) desired REMOVE.
 */
export class ReplicatedOrchestrator extends ServiceOrchestrator {
  constructor(store: ClusterStore, log: Logger, clock: Clock) {
    super(store, log, { name: 'replicated-orchestrator' }, clock);
  }

  protected ownsService(service: Service): boolean {
    return replicasOf(service.spec) !== undefined;
  }

  protected ownsTask(task: Task): boolean {
    return task.slot !== undefined;
  }

  /** Services with tasks on a node that was drained, went DOWN, or was removed. */
  protected servicesAffectedBy(r: StoreReader, e: ChangeEvent & { readonly object: Node }): readonly string[] {
    const lost = e.kind === 'update' && keepsReplicas(e.previous as Node) && !keepsReplicas(e.object);
    return e.kind === 'delete' || lost ? r.tasks.byNode(e.object.id).map((t) => t.serviceId) : [];
  }

  protected planService(r: StoreReader, service: Service, tasks: readonly Task[], now: Date): TaskChange[] {
    return planReplicated(service, tasks, r.nodes, now);
  }
}
