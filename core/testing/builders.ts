import type { DesiredState, TaskState } from '../model/task-state';
import type { Labels, Node, NodeAvailability, NodeRole, NodeState, PortConfig, Task } from '../model/types';

/**
 * Builders of nodes and tasks for plugin tests: plain objects as the store holds them, with sensible
 * defaults, so a test names only what it is about.
 */

export const META = { version: 1, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' };
export const CPU = 1e9;
export const GB = 1024 ** 3;

export interface NodeOptions {
  state?: NodeState;
  availability?: NodeAvailability;
  role?: NodeRole;
  hostname?: string;
  os?: string;
  arch?: string;
  addr?: string;
  cpus?: number;
  memoryBytes?: number;
  labels?: Labels;
  engineLabels?: Labels;
}

/** A READY, ACTIVE worker with 4 CPUs and 8 GB unless told otherwise. */
export function makeNode(id: string, o: NodeOptions = {}): Node {
  return {
    id,
    meta: META,
    spec: { role: o.role ?? 'worker', availability: o.availability ?? 'active', labels: o.labels ?? {} },
    description: {
      hostname: o.hostname ?? `host-${id}`,
      platform: { os: o.os ?? 'linux', arch: o.arch ?? 'x86_64' },
      resources: { nanoCpus: (o.cpus ?? 4) * CPU, memoryBytes: o.memoryBytes ?? 8 * GB },
      engine: { version: '20.10.24', labels: o.engineLabels ?? {} },
      runtimes: ['docker'],
    },
    status: { state: o.state ?? 'ready', message: '', addr: o.addr ?? '10.0.0.1' },
  };
}

export interface TaskOptions {
  serviceId?: string;
  nodeId?: string;
  state?: TaskState;
  desired?: DesiredState;
  cpus?: number;
  memoryBytes?: number;
  constraints?: readonly string[];
  /** Attributes to spread over, outermost first (`node.labels.zone`). */
  preferences?: readonly string[];
  maxReplicasPerNode?: number;
  /** Published ports in host mode (tcp). */
  hostPorts?: readonly number[];
}

/** A PENDING task of service `svc` wanting to run, reserving nothing, unless told otherwise. */
export function makeTask(id: string, o: TaskOptions = {}): Task {
  const ports: PortConfig[] = (o.hostPorts ?? []).map((p) => ({ protocol: 'tcp', targetPort: 80, publishedPort: p, publishMode: 'host' }));
  return {
    id,
    meta: META,
    serviceId: o.serviceId ?? 'svc',
    serviceName: o.serviceId ?? 'svc',
    nodeId: o.nodeId,
    specVersion: 1,
    spec: {
      container: { image: 'busybox', args: [], env: [], labels: {}, stopGracePeriodMs: 10_000 },
      resources: { limits: {}, reservations: { nanoCpus: o.cpus === undefined ? undefined : o.cpus * CPU, memoryBytes: o.memoryBytes } },
      restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
      placement: {
        constraints: o.constraints ?? [],
        preferences: (o.preferences ?? []).map((spread) => ({ spread })),
        maxReplicasPerNode: o.maxReplicasPerNode ?? 0,
      },
    },
    ports,
    desiredState: o.desired ?? 'running',
    status: { state: o.state ?? 'pending', timestamp: META.createdAt, message: '' },
    restartHistory: [],
  };
}

/** `n` tasks `prefix-1` … `prefix-n` with the same options (one scheduling group). */
export function makeTasks(prefix: string, n: number, o: TaskOptions = {}): Task[] {
  return Array.from({ length: n }, (_, i) => makeTask(`${prefix}-${i + 1}`, o));
}

