import type { Logger } from 'pino';
import type { ServiceEndpoints } from '../../core/hooks';
import type { Endpoint, NetworkRoutes } from '../../core/network/contract';
import type { Protocol } from '../../core/model/types';
import { backendsFor } from './backends';
import { Binding } from './binding';
import type { BalancingStrategy } from './balancer';
import { addTraffic, noTraffic, type PortProxy, type Traffic } from './proxy';
import { TcpProxy } from './tcp-proxy';
import { UdpProxy } from './udp-proxy';

/** Options of an {@link IngressMesh}. */
export interface IngressMeshOptions {
  readonly log: Logger;
  /** This node's id: its own tasks are reached at their own address, others at their node's exposed ports. */
  readonly nodeId: string;
  /** Address published ports are bound on; default `0.0.0.0` (every IPv4 address of the node). */
  readonly bindAddress?: string;
  /** How backends are picked; default `least-connections`. */
  readonly balancing?: BalancingStrategy;
  /** How long a backend may take to accept a TCP connection before another is tried (ms); default 1000. */
  readonly connectTimeoutMs?: number;
  /** Idle time after which a UDP flow is closed (ms); default 30000. */
  readonly udpIdleTimeoutMs?: number;
  /** Wait between attempts to bind a port that could not be bound, e.g. `EADDRINUSE` (ms); default 3000. */
  readonly bindRetryMs?: number;
}

/** Traffic of one service through the mesh on this node (published ports and virtual IPs), since it was first served here. */
export interface ServiceStats extends Readonly<Traffic> {
  readonly serviceId: string;
  readonly serviceName: string;
}

/** A port the mesh serves: a published port, or a port of a virtual IP. */
export interface PortState {
  readonly serviceId: string;
  /** Address it is bound on. */
  readonly host: string;
  readonly protocol: Protocol;
  /** The published port, or the target port on a virtual IP. */
  readonly publishedPort: number;
  /** False while the port cannot be bound (e.g. another program holds it) and binding is being retried. */
  readonly bound: boolean;
}

/** A port some service wants served. */
interface Wanted {
  readonly key: string;
  readonly serviceId: string;
  readonly host: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly targetPort: number;
  /** Only this task's endpoint (a relayed task address), not every endpoint of the service. */
  readonly taskId?: string;
}

/** What the mesh keeps of a service. */
interface ServiceState {
  name: string;
  endpoints: readonly Endpoint[];
  /** Traffic of its ports that have been closed since. */
  readonly retired: Traffic;
}

/** A port the mesh serves for a service. */
interface Listener {
  readonly want: Wanted;
  readonly proxy: PortProxy;
  readonly binding: Binding;
}

/** The address that stands for every address of the node. */
const WILDCARD = '0.0.0.0';

/** A port is an address, a protocol and a port number: TCP and UDP 53 are two ports. */
const keyOf = (host: string, protocol: Protocol, port: number): string => `${host}:${protocol}/${port}`;

/**
 * The routing mesh of one node: listens on every ingress-published port of every service, and on every
 * port of the virtual IPs of the networks this node serves, and relays each TCP connection or UDP flow to
 * one of the service's endpoints, wherever it runs. Host-mode ports are not its business.
 *
 * A port belongs to the first service that claims it; a second claim is logged as a conflict and served
 * once the first service lets go of the port. A port that cannot be bound is logged and retried until it
 * can, so a port taken by another program does not take the daemon down.
 */
export class IngressMesh {
  private readonly services = new Map<string, ServiceState>();
  /** Published ports wanted, by service. */
  private readonly published = new Map<string, readonly Wanted[]>();
  /** Virtual-IP ports wanted, by network. */
  private readonly virtual = new Map<string, readonly Wanted[]>();
  private readonly listeners = new Map<string, Listener>();
  private readonly log: Logger;
  private readonly bindAddress: string;
  private readonly bindRetryMs: number;
  private closed = false;

  constructor(private readonly options: IngressMeshOptions) {
    this.log = options.log;
    this.bindAddress = options.bindAddress ?? WILDCARD;
    this.bindRetryMs = options.bindRetryMs ?? 3000;
  }

  /**
   * Applies a service's new ports and endpoints: opens ports it newly publishes, closes ports it no longer
   * publishes, and gives its ports (virtual IPs included) the new endpoints (open connections stay where
   * they are). A removed service (no ports, no endpoints) has its published ports closed. Ignored after
   * {@link close}.
   */
  update(change: ServiceEndpoints): void {
    if (this.closed) return;
    const { serviceId } = change;
    const wanted = change.ports
      .filter((p) => p.publishMode === 'ingress' && p.publishedPort > 0)
      .map((p) => ({ key: keyOf(this.bindAddress, p.protocol, p.publishedPort), serviceId, host: this.bindAddress, protocol: p.protocol, port: p.publishedPort, targetPort: p.targetPort }));
    if (wanted.length > 0) this.published.set(serviceId, wanted);
    else this.published.delete(serviceId);
    this.learn(serviceId, change.serviceName, change.endpoints, wanted.length > 0);
    this.reconcile();
    if (wanted.length === 0 && change.endpoints.length === 0) this.services.delete(serviceId);
  }

  /**
   * Applies a network's routes: while this node serves the network, each virtual IP on it answers on every
   * target port of its service, and each relayed address of another node's task on every port that task
   * exposes; otherwise (or once the network is gone) they are closed here.
   */
  updateNetwork(routes: NetworkRoutes): void {
    if (this.closed) return;
    const wanted: Wanted[] = [];
    if (routes.active) {
      const relayed = new Set(routes.relayed);
      for (const s of routes.services) {
        const tasks = s.endpoints.flatMap((e) => e.networks.filter((n) => n.networkId === routes.network.id && relayed.has(n.addr)).map((n) => ({ e, addr: n.addr })));
        this.learn(s.serviceId, s.name, s.endpoints, s.vip !== undefined || tasks.length > 0);
        for (const p of s.vip === undefined ? [] : s.targetPorts) {
          wanted.push({ key: keyOf(s.vip!, p.protocol, p.targetPort), serviceId: s.serviceId, host: s.vip!, protocol: p.protocol, port: p.targetPort, targetPort: p.targetPort });
        }
        for (const { e, addr } of tasks) {
          for (const p of e.ports) {
            wanted.push({ key: keyOf(addr, p.protocol, p.targetPort), serviceId: s.serviceId, host: addr, protocol: p.protocol, port: p.targetPort, targetPort: p.targetPort, taskId: e.taskId });
          }
        }
      }
    }
    if (wanted.length > 0) this.virtual.set(routes.network.id, wanted);
    else this.virtual.delete(routes.network.id);
    this.reconcile();
  }

  /** Traffic per service the mesh serves or served, open connections included. */
  stats(): ServiceStats[] {
    const totals = new Map<string, Traffic>();
    for (const [id, s] of this.services) totals.set(id, { ...s.retired });
    for (const l of this.listeners.values()) {
      const t = totals.get(l.want.serviceId);
      if (t) addTraffic(t, l.proxy.stats());
    }
    return [...this.services].map(([serviceId, s]) => ({ serviceId, serviceName: s.name, ...(totals.get(serviceId) ?? noTraffic()) }));
  }

  /** The ports the mesh serves, and whether each is bound yet. */
  ports(): PortState[] {
    return [...this.listeners.values()].map((l) => ({ serviceId: l.want.serviceId, host: l.want.host, protocol: l.want.protocol, publishedPort: l.want.port, bound: l.binding.bound || this.covered(l) }));
  }

  /** Closes every port and connection; later updates are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.listeners.values()].map((l) => this.stop(l)));
    this.services.clear();
  }

  /** Records a service's name and endpoints; a service the mesh has not served yet is recorded once it claims a port. */
  private learn(serviceId: string, name: string, endpoints: readonly Endpoint[], claimsPorts: boolean): void {
    const s = this.services.get(serviceId);
    if (s) {
      s.name = name || s.name;
      s.endpoints = endpoints;
    } else if (claimsPorts) {
      this.services.set(serviceId, { name, endpoints, retired: noTraffic() });
    }
  }

  /**
   * Brings the listeners in line with what is wanted: closes ports no longer wanted by their holder,
   * opens newly wanted ones (the first claim of a port wins), and hands every port its service's backends.
   */
  private reconcile(): void {
    const claims = new Map<string, Wanted[]>();
    for (const list of [...this.published.values(), ...this.virtual.values()]) {
      for (const w of list) (claims.get(w.key) ?? claims.set(w.key, []).get(w.key)!).push(w);
    }
    for (const l of [...this.listeners.values()]) {
      const still = claims.get(l.want.key)?.find((w) => w.serviceId === l.want.serviceId && w.targetPort === l.want.targetPort && w.taskId === l.want.taskId);
      if (!still) void this.stop(l);
    }
    for (const [key, wants] of claims) {
      const current = this.listeners.get(key);
      const holder = current?.want ?? wants[0];
      for (const w of wants) {
        if (w.serviceId !== holder.serviceId) this.conflict(w, holder);
      }
      const endpoints = (this.services.get(holder.serviceId)?.endpoints ?? []).filter((e) => holder.taskId === undefined || e.taskId === holder.taskId);
      const backends = backendsFor(endpoints, holder.protocol, holder.targetPort, this.options.nodeId);
      if (current) current.proxy.setBackends(backends);
      else this.open(holder).proxy.setBackends(backends);
    }
  }

  private conflict(w: Wanted, holder: Wanted): void {
    const name = (id: string) => this.services.get(id)?.name ?? id;
    this.log.error({ service: name(w.serviceId), port: w.key }, `ingress: port ${w.key} of service ${name(w.serviceId)} is already served for service ${name(holder.serviceId)}; not serving it`);
  }

  private open(want: Wanted): Listener {
    const log = this.log.child({ service: this.services.get(want.serviceId)?.name ?? want.serviceId, port: want.key });
    const common = { host: want.host, port: want.port, balancer: { strategy: this.options.balancing }, log };
    const proxy =
      want.protocol === 'tcp'
        ? new TcpProxy({ ...common, connectTimeoutMs: this.options.connectTimeoutMs, divert: (client) => this.divert(want, client.localAddress) })
        : new UdpProxy({ ...common, idleTimeoutMs: this.options.udpIdleTimeoutMs });
    const listener: Listener = { want, proxy, binding: new Binding(() => proxy.listen(), `ingress ${want.key}`, log, this.bindRetryMs) };
    this.listeners.set(want.key, listener);
    return listener;
  }

  /**
   * The proxy that should take a TCP connection accepted on a wildcard published port: Linux will not bind
   * a virtual IP's port while the wildcard holds the same port, so connections to that virtual IP arrive
   * here and go to the virtual IP's own proxy.
   */
  private divert(want: Wanted, localAddress: string | undefined): TcpProxy | undefined {
    if (want.host !== WILDCARD || localAddress === undefined) return undefined;
    const l = this.listeners.get(keyOf(localAddress, 'tcp', want.port));
    return l && !l.binding.bound ? (l.proxy as TcpProxy) : undefined;
  }

  /** Whether a TCP port that is not bound is served through a bound wildcard listener of the same port. */
  private covered(l: Listener): boolean {
    if (l.want.protocol !== 'tcp' || l.want.host === WILDCARD) return false;
    return this.listeners.get(keyOf(WILDCARD, 'tcp', l.want.port))?.binding.bound === true;
  }

  /** Closes a listener's port and its connections, keeping its traffic in its service's totals. */
  private stop(l: Listener): Promise<void> {
    if (this.listeners.get(l.want.key) === l) this.listeners.delete(l.want.key);
    l.binding.cancel();
    const closing = l.proxy.close();
    // Every connection is destroyed by now: the byte counts are final and nothing is active.
    const retired = this.services.get(l.want.serviceId)?.retired;
    if (retired) addTraffic(retired, { ...l.proxy.stats(), connectionsActive: 0 });
    return closing;
  }
}
