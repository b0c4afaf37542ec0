import { parseServiceSpec } from '../../../core/model/service-spec';
import type { DesiredState, TaskState } from '../../../core/model/task-state';
import type { Node, RestartPolicy, Service, StoredObject, Task } from '../../../core/model/types';
import type { NewObject } from '../../../core/store/contract';
import type { TaskChange } from '../../../core/orchestrator/task-changes';

export const T0 = new Date('2026-01-01T00:00:00.000Z');

/** `ms` after T0. */
export const at = (ms: number): Date => new Date(T0.getTime() + ms);

const meta = (createdAt = T0) => ({ version: 1, createdAt: createdAt.toISOString(), updatedAt: createdAt.toISOString() });

export interface ServiceOptions {
  replicas?: number;
  global?: boolean;
  restart?: Partial<RestartPolicy>;
  constraints?: string[];
}

/** A service `web` (id `svc`) with one replica and restarts at once, unless told otherwise. */
export function makeService(o: ServiceOptions = {}): Service {
  const spec = parseServiceSpec({
    name: 'web',
    mode: o.global ? { global: {} } : { replicated: { replicas: o.replicas ?? 1 } },
    task: { container: { image: 'busybox' }, restartPolicy: { delayMs: 0, ...o.restart }, placement: { constraints: o.constraints ?? [] } },
  });
  return { id: 'svc', meta: meta(), spec, specVersion: 1, endpoint: { ports: [] } };
}

export interface TaskOptions {
  slot?: number;
  nodeId?: string;
  state?: TaskState;
  desired?: DesiredState;
  exitCode?: number;
  history?: string[];
  createdAt?: Date;
  /** Restart policy of the task's own spec (defaults to the service's). */
  restart?: Partial<RestartPolicy>;
}

/** A task `id` of `service`, RUNNING and desired RUNNING, unless told otherwise. */
export function makeTask(service: Service, id: string, o: TaskOptions = {}): Task {
  const spec = service.spec.task;
  return {
    id,
    meta: meta(o.createdAt),
    serviceId: service.id,
    serviceName: service.spec.name,
    slot: o.slot,
    nodeId: o.nodeId,
    specVersion: service.specVersion,
    spec: { ...spec, restartPolicy: { ...spec.restartPolicy, ...o.restart } },
    ports: [],
    desiredState: o.desired ?? 'running',
    status: { state: o.state ?? 'running', timestamp: T0.toISOString(), message: '', exitCode: o.exitCode },
    restartHistory: o.history ?? [],
  };
}

export { makeNode } from '../../helpers/nodes';

/** An object as handed to a store's `create`: without its metadata. */
export function unstored<T extends StoredObject>(obj: T): NewObject<T> {
  const { meta: _, ...rest } = obj;
  return rest;
}

/** Nodes as the plans look them up. */
export const nodeMap = (...nodes: Node[]) => new Map(nodes.map((n) => [n.id, n]));

/** A plan in short form: `create`, `id→state` (`id→shutdown+new` with a replacement) and `delete id`. */
export function summary(changes: readonly TaskChange[]): string[] {
  return changes.map((c) => {
    if (c.kind === 'create') return `create ${c.task.slot ?? c.task.nodeId}`;
    if (c.kind === 'delete') return `delete ${c.taskId}`;
    if (c.kind === 'service') return `service ${c.service.updateStatus?.state}`;
    return `${c.task.id}→${c.desiredState}${c.replacement ? '+new' : ''}`;
  });
}

/** The tasks a plan creates, including replacements. */
export function created(changes: readonly TaskChange[]): NewObject<Task>[] {
  return changes.flatMap((c) => (c.kind === 'create' ? [c.task] : c.kind === 'desire' && c.replacement ? [c.replacement] : []));
}
