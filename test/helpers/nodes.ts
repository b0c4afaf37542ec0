import type { Labels, Node, NodeAvailability, NodeRole, NodeState } from '../../core/model/types';

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
