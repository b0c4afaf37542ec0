import type { Logger } from 'pino';
import type { Endpoint, ServiceEndpoints } from '../../core/hooks';
import type { PortConfig, Protocol } from '../../core/model/types';
import type { Backend, BalancingStrategy } from './balancer';
import { addTraffic, noTraffic, type PortProxy, type Traffic } from './proxy';
import { TcpProxy } from './tcp-proxy';
import { UdpProxy } from './udp-proxy';

/** Options of an {@link IngressMesh}. */
export interface IngressMeshOptions {
  readonly log: Logger;
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

/** Traffic of one service through the mesh on this node, since the service was first published here. */
export interface ServiceStats extends Readonly<Traffic> {
  readonly serviceId: string;
  readonly serviceName: string;
}

/** A published port the mesh serves. */
export interface PortState {
  readonly serviceId: string;
  readonly protocol: Protocol;
  readonly publishedPort: number;
  /** False while the port cannot be bound (e.g. another program holds it) and binding is being retried. */
  readonly bound: boolean;
}

/** What the mesh keeps of a service that publishes ingress ports. */
interface ServiceState {
  readonly name: string;
  /** Its ingress ports, by port key. */
  readonly ports: ReadonlyMap<string, PortConfig>;
  readonly endpoints: readonly Endpoint[];
  /** Traffic of its ports that have been closed since. */
  readonly retired: Traffic;
}

/** A published port the mesh serves for a service. */
interface Listener {
  readonly key: string;
  readonly serviceId: string;
  readonly port: PortConfig;
  readonly proxy: PortProxy;
  readonly log: Logger;
  /** Whether the port is bound (it is not while binding fails and is retried). */
  bound: boolean;
  /** Pending bind retry. */
  retry: NodeJS.Timeout | undefined;
  /** Failed bind attempts so far. */
  bindFailures: number;
}

/** A port is a protocol and a published port number: TCP and UDP 53 are two ports. */
const keyOf = (p: PortConfig): string => `${p.protocol}/${p.publishedPort}`;

/**
 * The routing mesh of one node: listens on every ingress-published port of every service and relays each
 * TCP connection or UDP flow to one of the service's endpoints (`addr:targetPort`), wherever it runs.
 * Host-mode ports are not its business.
 *
 * A port belongs to the first service that claims it; a second claim is logged as a conflict and served
 * once the first service lets go of the port. A port that cannot be bound is logged and retried until it
 * can, so a port taken by another program does not take the daemon down.
 */
export class IngressMesh {
  private readonly services = new Map<string, ServiceState>();
  private readonly listeners = new Map<string, Listener>();
  private readonly log: Logger;
  private readonly bindAddress: string;
  private readonly bindRetryMs: number;
  private closed = false;

  constructor(private readonly options: IngressMeshOptions) {
    this.log = options.log;
    this.bindAddress = options.bindAddress ?? '0.0.0.0';
    this.bindRetryMs = options.bindRetryMs ?? 3000;
  }

  /**
   * Applies a service's new ports and endpoints: opens ports it newly publishes, closes ports it no longer
   * publishes, and gives the rest the new endpoints (open connections stay where they are). A removed
   * service (no ports) has all its ports closed. Ignored after {@link close}.
   */
  update(change: ServiceEndpoints): void {
    if (this.closed) return;
    const { serviceId } = change;
    const ports = new Map(change.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort > 0).map((p) => [keyOf(p), p]));
    const freed: string[] = [];
    for (const l of this.listeners.values()) {
      if (l.serviceId === serviceId && !ports.has(l.key)) {
        void this.stop(l);
        freed.push(l.key);
      }
    }
    if (ports.size === 0) this.services.delete(serviceId);
    else {
      const retired = this.services.get(serviceId)?.retired ?? noTraffic();
      const service: ServiceState = { name: change.serviceName, ports, endpoints: change.endpoints, retired };
      this.services.set(serviceId, service);
      for (const port of ports.values()) this.serve(serviceId, service, port);
    }
    // A port let go of goes to the next service that claims it, if any (claims normally never overlap).
    for (const key of freed) {
      for (const [id, other] of this.services) {
        const port = other.ports.get(key);
        if (!port) continue;
        this.serve(id, other, port);
        break;
      }
    }
  }

  /** Traffic per service that publishes ingress ports, open connections included. */
  stats(): ServiceStats[] {
    const totals = new Map<string, Traffic>();
    for (const [id, s] of this.services) totals.set(id, { ...s.retired });
    for (const l of this.listeners.values()) {
      const t = totals.get(l.serviceId);
      if (t) addTraffic(t, l.proxy.stats());
    }
    return [...this.services].map(([serviceId, s]) => ({ serviceId, serviceName: s.name, ...(totals.get(serviceId) ?? noTraffic()) }));
  }

  /** The ports the mesh serves, and whether each is bound yet. */
  ports(): PortState[] {
    return [...this.listeners.values()].map(({ serviceId, port, bound }) => ({
      serviceId,
      protocol: port.protocol,
      publishedPort: port.publishedPort,
      bound,
    }));
  }

  /** Closes every port and connection; later updates are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.listeners.values()].map((l) => this.stop(l)));
    this.services.clear();
  }

  /** Serves a port for a service: opens it, or hands the open port the service's current endpoints. */
  private serve(serviceId: string, service: ServiceState, port: PortConfig): void {
    const key = keyOf(port);
    const backends: Backend[] = service.endpoints.map((e) => ({ host: e.addr, port: port.targetPort }));
    const current = this.listeners.get(key);
    if (!current) this.open(serviceId, service.name, port, backends);
    else if (current.serviceId === serviceId) current.proxy.setBackends(backends);
    else {
      const holder = this.services.get(current.serviceId)?.name ?? current.serviceId;
      this.log.error({ service: service.name, port: key }, `ingress: port ${key} of service ${service.name} is already published by service ${holder}; not serving it`);
    }
  }

  private open(serviceId: string, serviceName: string, port: PortConfig, backends: readonly Backend[]): void {
    const key = keyOf(port);
    const log = this.log.child({ service: serviceName, port: key });
    const common = { host: this.bindAddress, port: port.publishedPort, balancer: { strategy: this.options.balancing }, log };
    const proxy =
      port.protocol === 'tcp'
        ? new TcpProxy({ ...common, connectTimeoutMs: this.options.connectTimeoutMs })
        : new UdpProxy({ ...common, idleTimeoutMs: this.options.udpIdleTimeoutMs });
    proxy.setBackends(backends);
    const listener: Listener = { key, serviceId, port, proxy, log, bound: false, retry: undefined, bindFailures: 0 };
    this.listeners.set(key, listener);
    this.bind(listener);
  }

  /** Binds a listener's port, retrying every `bindRetryMs` until it works or the listener is stopped. */
  private bind(l: Listener): void {
    l.retry = undefined;
    l.proxy.listen().then(
      () => {
        if (this.listeners.get(l.key) !== l) return;
        l.bound = true;
        const after = l.bindFailures > 0 ? ` after ${l.bindFailures} failed attempts` : '';
        l.log.info(`ingress: listening on ${this.bindAddress} ${l.key}${after}`);
      },
      (err: NodeJS.ErrnoException) => {
        if (this.listeners.get(l.key) !== l) return;
        const message = `ingress: cannot bind ${l.key} on ${this.bindAddress} (${err.code ?? err.message}); retrying every ${this.bindRetryMs} ms`;
        if (l.bindFailures++ === 0) l.log.error({ err }, message);
        else l.log.debug({ err }, message);
        l.retry = setTimeout(() => this.bind(l), this.bindRetryMs).unref();
      },
    );
  }

  /** Closes a listener's port and its connections, keeping its traffic in its service's totals. */
  private stop(l: Listener): Promise<void> {
    this.listeners.delete(l.key);
    clearTimeout(l.retry);
    const closing = l.proxy.close();
    // Every connection is destroyed by now: the byte counts are final and nothing is active.
    const retired = this.services.get(l.serviceId)?.retired;
    if (retired) addTraffic(retired, { ...l.proxy.stats(), connectionsActive: 0 });
    return closing;
  }
}
