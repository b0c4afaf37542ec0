import type { ServiceEndpoints } from '../hooks';
import type { Network } from '../model/types';
import { distinctTargetPorts } from '../runtime/contract';
import type { DnsQuery, Endpoint, NetworkService, RouteChange, ServiceRoute } from './contract';

/** What one applied change touched. */
export interface RoutesTouched {
  /** Services whose route or endpoints changed (removed ones included). */
  readonly services: ReadonlySet<string>;
  /** Networks whose own object or services changed (removed ones included). */
  readonly networks: ReadonlySet<string>;
}

/** The `tasks.` prefix that lists a service's tasks, as swarm mode resolves it. */
const TASKS_PREFIX = 'tasks.';

/**
 * A node's copy of the routing state: services, their running endpoints and the networks, kept up to
 * date from the route changes its session delivers. Answers what the mesh, the virtual IPs and DNS need.
 * Pure: no I/O.
 */
export class RouteTable {
  private services = new Map<string, ServiceRoute>();
  private endpoints = new Map<string, Endpoint>();
  private byService = new Map<string, Set<string>>();
  private networkObjects = new Map<string, Network>();

  /** Applies a change (a complete one replaces everything) and says what it touched. */
  apply(change: RouteChange): RoutesTouched {
    const services = new Set<string>();
    const networks = new Set<string>();
    const touchService = (id: string) => {
      services.add(id);
      for (const n of this.services.get(id)?.networks ?? []) networks.add(n.networkId);
    };
    if (change.full) {
      for (const id of this.services.keys()) touchService(id);
      for (const id of this.byService.keys()) services.add(id);
      for (const id of this.networkObjects.keys()) networks.add(id);
      this.services = new Map();
      this.endpoints = new Map();
      this.byService = new Map();
      this.networkObjects = new Map();
    }
    for (const id of change.removedServices) {
      touchService(id);
      this.services.delete(id);
    }
    for (const s of change.services) {
      touchService(s.id);
      this.services.set(s.id, s);
      touchService(s.id);
    }
    for (const id of change.removedEndpoints) {
      const e = this.endpoints.get(id);
      if (!e) continue;
      touchService(e.serviceId);
      for (const n of e.networks) networks.add(n.networkId);
      this.endpoints.delete(id);
      this.byService.get(e.serviceId)?.delete(id);
    }
    for (const e of change.endpoints) {
      touchService(e.serviceId);
      for (const n of e.networks) networks.add(n.networkId);
      this.endpoints.set(e.taskId, e);
      let ids = this.byService.get(e.serviceId);
      if (!ids) this.byService.set(e.serviceId, (ids = new Set()));
      ids.add(e.taskId);
    }
    for (const id of change.removedNetworks) {
      networks.add(id);
      this.networkObjects.delete(id);
    }
    for (const n of change.networks) {
      networks.add(n.id);
      this.networkObjects.set(n.id, n);
    }
    for (const [id, ids] of this.byService) if (ids.size === 0) this.byService.delete(id);
    return { services, networks };
  }

  network(id: string): Network | undefined {
    return this.networkObjects.get(id);
  }

  /** Ids of the networks the table holds. */
  networkIds(): string[] {
    return [...this.networkObjects.keys()];
  }

  /** The running endpoints of a service, by task id. */
  endpointsOf(serviceId: string): Endpoint[] {
    return [...(this.byService.get(serviceId) ?? [])].sort().map((id) => this.endpoints.get(id)!);
  }

  /** A service as the `ingress.endpoints` hook gives it; no ports and no endpoints once it is gone. */
  serviceEndpoints(serviceId: string): ServiceEndpoints {
    const s = this.services.get(serviceId);
    return { serviceId, serviceName: s?.name ?? '', ports: s?.ports ?? [], endpoints: s ? this.endpointsOf(serviceId) : [] };
  }

  /** Whether any endpoint of a service on `networkId` runs on node `nodeId`. */
  hasEndpointOn(networkId: string, nodeId: string): boolean {
    for (const e of this.endpoints.values()) if (e.nodeId === nodeId && e.networks.some((n) => n.networkId === networkId)) return true;
    return false;
  }

  /** The services on a network, by name, with their virtual IPs and endpoints. */
  networkServices(networkId: string): NetworkService[] {
    const out: NetworkService[] = [];
    for (const s of this.services.values()) {
      const attachment = s.networks.find((n) => n.networkId === networkId);
      if (!attachment) continue;
      const endpoints = this.endpointsOf(s.id);
      const vip = s.mode === 'vip' ? s.virtualIps.find((v) => v.networkId === networkId)?.addr : undefined;
      out.push({
        serviceId: s.id,
        name: s.name,
        aliases: attachment.aliases,
        mode: s.mode,
        ...(vip !== undefined && { vip }),
        targetPorts: targetPorts(s, endpoints),
        endpoints,
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Answers a DNS question: a service's name or alias on one of the asking task's networks (its virtual
   * IP, or its tasks' addresses in dnsrr mode), or `tasks.<name>` (its tasks' addresses). A client that
   * is not a known task sees only the network it asked on. Undefined for a name that is not a service's.
   */
  resolve(q: DnsQuery): string[] | undefined {
    const tasksOnly = q.name.startsWith(TASKS_PREFIX);
    const name = tasksOnly ? q.name.slice(TASKS_PREFIX.length) : q.name;
    for (const networkId of this.scopeOf(q.networkId, q.source)) {
      for (const s of this.services.values()) {
        const attachment = s.networks.find((n) => n.networkId === networkId);
        if (!attachment || (s.name.toLowerCase() !== name && !attachment.aliases.some((a) => a.toLowerCase() === name))) continue;
        const vip = s.virtualIps.find((v) => v.networkId === networkId)?.addr;
        if (!tasksOnly && s.mode === 'vip' && vip !== undefined) return [vip];
        return this.endpointsOf(s.id).flatMap((e) => e.networks.filter((n) => n.networkId === networkId).map((n) => n.addr));
      }
    }
    return undefined;
  }

  /** The networks whose names a client sees: every network of the task that has `source` on `networkId`. */
  private scopeOf(networkId: string, source: string): string[] {
    for (const e of this.endpoints.values()) {
      if (e.networks.some((n) => n.networkId === networkId && n.addr === source)) return e.networks.map((n) => n.networkId);
    }
    return [networkId];
  }
}

/** The ports a service's virtual IP serves: its own target ports and every port its endpoints expose. */
function targetPorts(s: ServiceRoute, endpoints: readonly Endpoint[]): NetworkService['targetPorts'] {
  return distinctTargetPorts([...s.ports, ...endpoints.flatMap((e) => e.ports)]);
}
