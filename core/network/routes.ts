import type { Network, Service, Task } from '../model/types';
import type { ChangeEvent, StoreReader } from '../store/contract';
import { oncePerBatch } from '../store/once-per-batch';
import type { Endpoint, RouteChange, ServiceRoute } from './contract';

/** Whether a service takes part in routing: it publishes ports or joins networks. */
function routable(s: Service): boolean {
  return s.endpoint.ports.length > 0 || (s.spec.networks?.length ?? 0) > 0;
}

/** What every node needs of a service to route to it; undefined for a service that needs no routes. */
export function serviceRoute(s: Service | undefined): ServiceRoute | undefined {
  if (!s || !routable(s)) return undefined;
  return {
    id: s.id,
    name: s.spec.name,
    mode: s.endpoint.mode ?? s.spec.endpoint.mode ?? 'vip',
    ports: s.endpoint.ports,
    networks: (s.spec.networks ?? []).map((n) => ({ networkId: n.target, aliases: n.aliases ?? [] })),
    virtualIps: s.endpoint.virtualIps ?? [],
  };
}

/**
 * A task's endpoint: set while it is desired and observed running on a node and reachable through the
 * mesh (it has published ports, exposed ports or networks).
 */
export function endpointOf(t: Task | undefined): Endpoint | undefined {
  if (!t || t.desiredState !== 'running' || t.status.state !== 'running' || !t.nodeId) return undefined;
  const ports = t.status.ports ?? [];
  const networks = t.networks ?? [];
  if (ports.length === 0 && networks.length === 0 && t.ports.length === 0) return undefined;
  return {
    taskId: t.id,
    serviceId: t.serviceId,
    nodeId: t.nodeId,
    ...(t.status.addr !== undefined && { addr: t.status.addr }),
    ports,
    networks,
  };
}

/** The complete routing state of the store. */
export function fullRoutes(r: StoreReader): RouteChange {
  const services: ServiceRoute[] = [];
  for (const s of r.services.all()) {
    const route = serviceRoute(s);
    if (route) services.push(route);
  }
  const endpoints: Endpoint[] = [];
  for (const t of r.tasks.all()) {
    const e = endpointOf(t);
    if (e) endpoints.push(e);
  }
  return { full: true, services, removedServices: [], endpoints, removedEndpoints: [], networks: r.networks.all(), removedNetworks: [] };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a batch of committed changes changes in the routing state; undefined when nothing. Read once per
 * batch however many watchers ask (the leader has one per node).
 */
export const routeChange = oncePerBatch(readRouteChange);

function readRouteChange(events: readonly ChangeEvent[]): RouteChange | undefined {
  const services: ServiceRoute[] = [];
  const removedServices: string[] = [];
  const endpoints: Endpoint[] = [];
  const removedEndpoints: string[] = [];
  const networks: Network[] = [];
  const removedNetworks: string[] = [];
  for (const e of events) {
    if (e.table === 'services') {
      const now = e.kind === 'delete' ? undefined : serviceRoute(e.object as Service);
      const before = serviceRoute((e.kind === 'delete' ? e.object : e.previous) as Service | undefined);
      if (now && !same(now, before)) services.push(now);
      else if (!now && before) removedServices.push(e.object.id);
    } else if (e.table === 'tasks') {
      const now = e.kind === 'delete' ? undefined : endpointOf(e.object as Task);
      const before = endpointOf((e.kind === 'delete' ? e.object : e.previous) as Task | undefined);
      if (now && !same(now, before)) endpoints.push(now);
      else if (!now && before) removedEndpoints.push(e.object.id);
    } else if (e.table === 'networks') {
      if (e.kind === 'delete') removedNetworks.push(e.object.id);
      else networks.push(e.object as Network);
    }
  }
  const empty = services.length + removedServices.length + endpoints.length + removedEndpoints.length + networks.length + removedNetworks.length === 0;
  return empty ? undefined : { full: false, services, removedServices, endpoints, removedEndpoints, networks, removedNetworks };
}
