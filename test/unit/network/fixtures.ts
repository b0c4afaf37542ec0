import { parseServiceSpec } from '../../../core/model/service-spec';
import type { EndpointMode, Network, PortBinding, PortConfig, Service, Task, TaskNetworkAttachment, VirtualIp } from '../../../core/model/types';
import type { TaskState, DesiredState } from '../../../core/model/task-state';
import type { Endpoint, RouteChange, ServiceRoute } from '../../../core/network/contract';
import type { ChangeEvent } from '../../../core/store/contract';

export const META = { version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };

/** A network `id` named `name` on `subnet` (its gateway the subnet's first host address). */
export function makeNetwork(id: string, subnet = '10.1.0.0/24', o: { name?: string; driver?: string } = {}): Network {
  const [base] = subnet.split('/');
  const parts = base.split('.').map(Number);
  parts[3] += 1;
  return {
    id,
    meta: META,
    spec: { name: o.name ?? `net-${id}`, driver: o.driver ?? 'overlay', labels: {}, attachable: false },
    subnet,
    gateway: parts.join('.'),
  };
}

export interface NetServiceOptions {
  /** Networks by id, with their aliases. */
  networks?: readonly (string | { target: string; aliases?: string[] })[];
  mode?: EndpointMode;
  ports?: readonly PortConfig[];
  virtualIps?: readonly VirtualIp[];
  name?: string;
  replicas?: number;
}

/** A stored service `id` (named `name`, default `id`) with the given networks, mode, ports and VIPs. */
export function makeNetService(id: string, o: NetServiceOptions = {}): Service {
  const networks = (o.networks ?? []).map((n) => (typeof n === 'string' ? { target: n } : n));
  const spec = parseServiceSpec({
    name: o.name ?? id,
    mode: { replicated: { replicas: o.replicas ?? 1 } },
    task: { container: { image: 'busybox' } },
    ...(networks.length > 0 && { networks }),
    endpoint: { mode: o.mode ?? 'vip', ports: (o.ports ?? []).map((p) => ({ ...p })) },
  });
  return {
    id,
    meta: META,
    spec,
    specVersion: 1,
    endpoint: { mode: o.mode ?? 'vip', ports: o.ports ?? [], ...(o.virtualIps && { virtualIps: o.virtualIps }) },
  };
}

export interface NetTaskOptions {
  nodeId?: string;
  state?: TaskState;
  desired?: DesiredState;
  addr?: string;
  bindings?: readonly PortBinding[];
  networks?: readonly TaskNetworkAttachment[];
  ports?: readonly PortConfig[];
}

/** A task `id` of `service`, RUNNING on node1 and desired RUNNING, unless told otherwise. */
export function makeNetTask(service: Service, id: string, o: NetTaskOptions = {}): Task {
  return {
    id,
    meta: META,
    serviceId: service.id,
    serviceName: service.spec.name,
    slot: 1,
    ...('nodeId' in o ? o.nodeId !== undefined && { nodeId: o.nodeId } : { nodeId: 'node1' }),
    specVersion: service.specVersion,
    spec: service.spec.task,
    ports: o.ports ?? [],
    ...(o.networks && { networks: o.networks }),
    desiredState: o.desired ?? 'running',
    status: {
      state: o.state ?? 'running',
      timestamp: META.createdAt,
      message: '',
      ...(o.addr !== undefined && { addr: o.addr }),
      ...(o.bindings && { ports: o.bindings }),
    },
    restartHistory: [],
  };
}

export const tcp = (targetPort: number, publishedPort = 0, publishMode: PortConfig['publishMode'] = 'ingress'): PortConfig => ({
  protocol: 'tcp',
  targetPort,
  publishedPort,
  publishMode,
});

export const binding = (targetPort: number, hostPort: number, hostIp = '192.168.1.2', protocol: PortBinding['protocol'] = 'tcp'): PortBinding => ({
  protocol,
  targetPort,
  hostIp,
  hostPort,
});

/** Change events as a store's watchers get them. */
export const created = (table: ChangeEvent['table'], object: ChangeEvent['object'], version = 1): ChangeEvent => ({ table, kind: 'create', object, version });
export const updated = <T extends ChangeEvent['object']>(table: ChangeEvent['table'], previous: T, object: T, version = 2): ChangeEvent => ({
  table,
  kind: 'update',
  object,
  previous,
  version,
});
export const deleted = (table: ChangeEvent['table'], object: ChangeEvent['object'], version = 3): ChangeEvent => ({ table, kind: 'delete', object, version });

/** A route of a service as the route table keeps it. */
export function route(id: string, o: { name?: string; mode?: EndpointMode; networks?: readonly (string | { networkId: string; aliases: string[] })[]; vips?: Record<string, string>; ports?: readonly PortConfig[] } = {}): ServiceRoute {
  return {
    id,
    name: o.name ?? id,
    mode: o.mode ?? 'vip',
    ports: o.ports ?? [],
    networks: (o.networks ?? []).map((n) => (typeof n === 'string' ? { networkId: n, aliases: [] } : n)),
    virtualIps: Object.entries(o.vips ?? {}).map(([networkId, addr]) => ({ networkId, addr })),
  };
}

/** An endpoint of a task of `serviceId` on `nodeId`, with its addresses by network. */
export function endpoint(taskId: string, serviceId: string, o: { nodeId?: string; addr?: string; ports?: readonly PortBinding[]; networks?: Record<string, string> } = {}): Endpoint {
  return {
    taskId,
    serviceId,
    nodeId: o.nodeId ?? 'node1',
    ...(o.addr !== undefined && { addr: o.addr }),
    ports: o.ports ?? [],
    networks: Object.entries(o.networks ?? {}).map(([networkId, addr]) => ({ networkId, addr })),
  };
}

/** A route change; `full` false and everything empty unless given. */
export function change(o: Partial<RouteChange> = {}): RouteChange {
  return { full: false, services: [], removedServices: [], endpoints: [], removedEndpoints: [], networks: [], removedNetworks: [], ...o };
}
