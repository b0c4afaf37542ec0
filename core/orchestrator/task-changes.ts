import { TimeSlice } from '../util/time-slice';
import { newId } from '../model/ids';
import type { DesiredState } from '../model/task-state';
import type { Node, Service, Task } from '../model/types';
import type { ClusterStore, NewObject, StoreReader, WriteTx } from '../store/contract';

/**
 * Most store changes written in one transaction: big writes are split (swarm mode splits at 200; larger
 * transactions mean fewer commit round trips, and Raft appends are bounded in bytes whatever their size).
 */
export const MAX_CHANGES_PER_TRANSACTION = 1000;

/** Where a task runs: a slot of a replicated service, or a node for a global one. */
export type TaskPlacement = { readonly slot: number } | { readonly nodeId: string };

/**
 * One atomic step of an orchestrator's plan. A `desire` with a `replacement` shuts a task down and
 * creates its successor in the same transaction, so no other writer can see the slot empty or doubled.
 * A `service` step writes a service as given (the updater stores its update status with its steps).
 */
export type TaskChange =
  | { readonly kind: 'create'; readonly task: NewObject<Task> }
  | { readonly kind: 'desire'; readonly task: Task; readonly desiredState: DesiredState; readonly replacement?: NewObject<Task> }
  | { readonly kind: 'delete'; readonly taskId: string }
  | { readonly kind: 'service'; readonly service: Service };

/** Looks nodes up by id: a store table or a plain Map. */
export interface NodeLookup {
  get(id: string): Node | undefined;
}

/** Options of `newTask` that differ between orchestrators. */
export interface NewTaskOptions {
  /** Defaults to `running`; the restart supervisor holds delayed replacements at `ready`. */
  readonly desiredState?: DesiredState;
  /** Restarts counted against the policy, carried over from the task this one replaces. */
  readonly restartHistory?: readonly string[];
}

/**
 * A new task of `service` at `placement`, made from the service's current spec: NEW when it needs
 * addresses on the service's networks (the allocator gives them and makes it PENDING), else PENDING at
 * once (there is nothing to allocate: a write of every task saved). The scheduler and the agents take it
 * from there.
 */
export function newTask(service: Service, placement: TaskPlacement, now: Date, options: NewTaskOptions = {}): NewObject<Task> {
  return {
    id: newId(),
    serviceId: service.id,
    serviceName: service.spec.name,
    ...placement,
    specVersion: service.specVersion,
    spec: service.spec.task,
    ports: service.endpoint.ports,
    desiredState: options.desiredState ?? 'running',
    status: (service.spec.networks?.length ?? 0) > 0 ? { state: 'new', timestamp: now.toISOString(), message: 'created' } : { state: 'pending', timestamp: now.toISOString(), message: 'pending task scheduling' },
    restartHistory: options.restartHistory ?? [],
  };
}

/**
 * The placement a replacement of `task` gets: the same slot, or the same node for a global task;
 * undefined for a task that has neither.
 */
export function placementOf(task: Task): TaskPlacement | undefined {
  if (task.slot !== undefined) return { slot: task.slot };
  return task.nodeId !== undefined ? { nodeId: task.nodeId } : undefined;
}

/** A step that sets a task's desired state, optionally creating its replacement alongside. */
export function desire(task: Task, desiredState: DesiredState, replacement?: NewObject<Task>): TaskChange {
  return { kind: 'desire', task, desiredState, replacement };
}

/** Plan for the tasks of a service that no longer exists: every one is desired REMOVE (the reaper deletes them). */
export function planRemoval(tasks: readonly Task[]): TaskChange[] {
  return tasks.filter((t) => t.desiredState !== 'remove').map((t) => desire(t, 'remove'));
}

/** Store changes a step makes. */
function sizeOf(change: TaskChange): number {
  return change.kind === 'desire' && change.replacement ? 2 : 1;
}

function write(tx: WriteTx, change: TaskChange): void {
  switch (change.kind) {
    case 'create':
      tx.tasks.create(change.task);
      return;
    case 'delete':
      tx.tasks.delete(change.taskId);
      return;
    case 'service':
      tx.services.update(change.service);
      return;
    case 'desire':
      tx.tasks.update({ ...change.task, desiredState: change.desiredState });
      if (change.replacement) tx.tasks.create(change.replacement);
  }
}

/** Transactions of plans in flight at once (each on other keys; the store commits concurrent ones together). */
const WRITES_IN_FLIGHT = 8;

/**
 * Plans and writes the given keys (e.g. service ids) in as few transactions as the size limit allows,
 * up to WRITES_IN_FLIGHT at once. Each key is planned inside a transaction, against its view (so the plan
 * sees the latest state and the writes carry the versions it read: a concurrent change fails the
 * transaction with a conflict). A key whose plan does not fit is finished in a later transaction, planned
 * afresh once the first has committed: plans must be idempotent, each step taking the key closer to done.
 * No key is in two transactions in flight. Every transaction writes at least one step; planning yields to
 * other work every time slice (a transaction stops taking keys, the next waits a turn). When a write fails,
 * no more are started, those in flight are waited for, and the first failure is thrown.
 */
export async function writePlans(
  store: ClusterStore,
  keys: Iterable<string>,
  plan: (r: StoreReader, key: string) => readonly TaskChange[],
  maxChanges = MAX_CHANGES_PER_TRANSACTION,
): Promise<void> {
  const todo = new Set(keys);
  const busy = new Set<string>();
  const writing = new Set<Promise<void>>();
  let failure: { readonly err: unknown } | undefined;
  const start = () => {
    const ready = [...todo].filter((k) => !busy.has(k));
    if (ready.length === 0) return false;
    // Runs synchronously (see ClusterStore.update): `mine` is known before the next transaction is made.
    const mine: string[] = [];
    const planning = new TimeSlice();
    const committed = store.update((tx) => {
      let budget = maxChanges;
      for (const key of ready) {
        // Planning many keys takes long: leave the rest to the next transaction.
        if (mine.length > 0 && planning.due) return;
        mine.push(key);
        let written = 0;
        const changes = plan(tx, key);
        for (const change of changes) {
          if (sizeOf(change) > budget && budget < maxChanges) return;
          write(tx, change);
          budget -= sizeOf(change);
          written++;
        }
        if (written === changes.length) todo.delete(key);
      }
    });
    for (const k of mine) busy.add(k);
    const done: Promise<void> = committed.then(
      () => undefined,
      (err: unknown) => void (failure ??= { err }),
    ).finally(() => {
      for (const k of mine) busy.delete(k);
      writing.delete(done);
    });
    writing.add(done);
    return true;
  };
  for (;;) {
    const slice = new TimeSlice();
    while (!failure && writing.size < WRITES_IN_FLIGHT && start()) {
      if (slice.due) await slice.next();
    }
    if (writing.size === 0) break;
    await Promise.race(writing);
  }
  if (failure) throw failure.err;
}
