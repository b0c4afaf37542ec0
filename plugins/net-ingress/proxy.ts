import type { Logger } from 'pino';
import { Balancer, type Backend, type BalancerOptions } from './balancer';

/** Traffic counters of one published port, or summed over a service's ports. */
export interface Traffic {
  /** TCP connections accepted, plus UDP flows (one per client address and port) opened. */
  connectionsTotal: number;
  /** TCP connections and UDP flows open now. */
  connectionsActive: number;
  /** Connections closed because there was no backend, or none of them could be reached. */
  connectionsFailed: number;
  /** Bytes from clients to the service. */
  bytesIn: number;
  /** Bytes from the service to clients. */
  bytesOut: number;
}

/** All-zero counters. */
export const noTraffic = (): Traffic => ({ connectionsTotal: 0, connectionsActive: 0, connectionsFailed: 0, bytesIn: 0, bytesOut: 0 });

/** Adds `more` into `into`. */
export function addTraffic(into: Traffic, more: Readonly<Traffic>): void {
  into.connectionsTotal += more.connectionsTotal;
  into.connectionsActive += more.connectionsActive;
  into.connectionsFailed += more.connectionsFailed;
  into.bytesIn += more.bytesIn;
  into.bytesOut += more.bytesOut;
}

/** What every port proxy is made with. */
export interface ProxyOptions {
  /** Address to bind. */
  readonly host: string;
  /** Port to bind (the published port). */
  readonly port: number;
  readonly balancer?: BalancerOptions;
  readonly log: Logger;
}

/**
 * The proxy of one published port: accepts client traffic there and relays it to backends picked by a
 * {@link Balancer}. `listen` makes one attempt to bind (retrying is the caller's business); `close` may be
 * called at any time, also while `listen` is pending, and ends every open connection.
 */
export abstract class PortProxy {
  protected readonly balancer: Balancer;
  protected readonly traffic = noTraffic();
  protected readonly log: Logger;
  protected closed = false;

  constructor(protected readonly options: ProxyOptions) {
    this.balancer = new Balancer(options.balancer);
    this.log = options.log;
  }

  /** Binds the port. Rejects with the bind error (e.g. `EADDRINUSE`), leaving nothing open. */
  abstract listen(): Promise<void>;

  /** Unbinds the port and ends open connections. Idempotent. */
  abstract close(): Promise<void>;

  /** Replaces the backends new connections go to; open connections are left alone. */
  setBackends(backends: readonly Backend[]): void {
    this.balancer.setBackends(backends);
  }

  /** A snapshot of this port's counters. */
  stats(): Traffic {
    return { ...this.traffic };
  }
}
