import type { Logger } from 'pino';
import { replicasOf } from '../model/service-spec';
import { isTerminal, wantsToRun } from '../model/task-state';
import type { Node, Service, Task } from '../model/types';
import type { ChangeEvent, ClusterStore, StoreReader } from '../store/contract';
import { keepsTasks } from './eligibility';
import { PlanningLoop, type Clock } from './planning-loop';
import { desire, newTask, planRemoval, type NodeLookup, type TaskChange } from './task-changes';

/** A slot in use and what scale-down needs to know about it. */
interface SlotInfo {
  readonly slot: number;
  readonly tasks: readonly Task[];
  readonly running: boolean;
  readonly nodeId: string | undefined;
}

/** True when a live task sits on a node that is drained or gone: it must move. */
function stranded(task: Task, nodes: NodeLookup): boolean {
  return task.nodeId !== undefined && !isTerminal(task.status.state) && !keepsTasks(nodes.get(task.nodeId));
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
 * created at the lowest free numbers; a task on a drained or removed node is shut down and replaced in
 * its slot at once, keeping the slot's restart history. Pure.
 */
export function planReplicated(service: Service, tasks: readonly Task[], nodes: NodeLookup, now: Date): TaskChange[] {
  const changes: TaskChange[] = [];
  const bySlot = new Map<number, Task[]>();
  for (const t of tasks) {
    if (!wantsToRun(t.desiredState)) continue;
    if (t.slot === undefined) changes.push(desire(t, 'shutdown'));
    else if (bySlot.has(t.slot)) bySlot.get(t.slot)!.push(t);
    else bySlot.set(t.slot, [t]);
  }
  const slots: SlotInfo[] = [...bySlot].map(([slot, ts]) => ({
    slot,
    tasks: ts,
    running: ts.some((t) => t.status.state === 'running' && !stranded(t, nodes)),
    nodeId: ts.find((t) => t.nodeId !== undefined)?.nodeId,
  }));
  const replicas = replicasOf(service.spec) ?? 0;
  const excess = scaleDownOrder(slots).slice(0, Math.max(0, slots.length - replicas));
  const removed = new Set(excess.map((s) => s.slot));
  for (const s of excess) for (const t of s.tasks) changes.push(desire(t, 'shutdown'));
  for (const s of slots) {
    if (removed.has(s.slot)) continue;
    const moving = s.tasks.filter((t) => stranded(t, nodes));
    moving.forEach((t, i) => {
      const replace = i === 0 && moving.length === s.tasks.length;
      changes.push(desire(t, 'shutdown', replace ? newTask(service, { slot: s.slot }, now, { restartHistory: t.restartHistory }) : undefined));
    });
  }
  for (const slot of freeSlots(new Set(bySlot.keys()), replicas - (slots.length - excess.length))) {
    changes.push({ kind: 'create', task: newTask(service, { slot }, now) });
  }
  return changes;
}

function nodeDrainedOrGone(e: ChangeEvent): boolean {
  if (e.kind === 'delete') return true;
  const node = e.object as Node;
  return e.kind === 'update' && node.spec.availability === 'drain' && (e.previous as Node).spec.availability !== 'drain';
}

/**
 * The replicated orchestrator: keeps each replicated service at its replica count (`planReplicated`)
 * and marks the tasks of deleted services (those with a slot) desired REMOVE.
 */
export class ReplicatedOrchestrator extends PlanningLoop {
  constructor(store: ClusterStore, log: Logger, clock: Clock) {
    super(store, log, { name: 'replicated-orchestrator' }, clock);
  }

  protected keysFor(e: ChangeEvent): Iterable<string> {
    switch (e.table) {
      case 'services':
        return [e.object.id];
      case 'tasks': {
        const t = e.object as Task;
        const prev = e.previous as Task | undefined;
        const moved = !prev || prev.desiredState !== t.desiredState || prev.nodeId !== t.nodeId;
        return t.slot !== undefined && moved ? [t.serviceId] : [];
      }
      case 'nodes':
        return nodeDrainedOrGone(e) ? this.store.view((r) => r.tasks.byNode(e.object.id).map((t) => t.serviceId)) : [];
      default:
        return [];
    }
  }

  protected allKeys(r: StoreReader): Iterable<string> {
    const keys = new Set(r.services.all().filter((s) => replicasOf(s.spec) !== undefined).map((s) => s.id));
    for (const t of r.tasks.all()) if (t.slot !== undefined && !r.services.get(t.serviceId)) keys.add(t.serviceId);
    return keys;
  }

  protected plan(r: StoreReader, serviceId: string, now: Date): readonly TaskChange[] {
    const service = r.services.get(serviceId);
    const tasks = r.tasks.byService(serviceId);
    if (!service) return planRemoval(tasks.filter((t) => t.slot !== undefined));
    return replicasOf(service.spec) === undefined ? [] : planReplicated(service, tasks, r.nodes, now);
  }
}
