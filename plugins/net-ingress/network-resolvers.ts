import type { Logger } from 'pino';
import type { DnsQuery, NetworkRoutes } from '../../core/network/contract';
import { Binding } from './binding';
import { DnsServer, type DnsStats } from './dns/dns-server';

/** Options of {@link NetworkResolvers}. */
export interface NetworkResolversOptions {
  readonly log: Logger;
  /** Answers a question, or undefined to forward it upstream (the kernel's `network.resolve` hook). */
  readonly resolve: (q: DnsQuery) => readonly string[] | undefined;
  /** Port the servers listen on; default 53. */
  readonly port?: number;
  /** Wait between attempts to bind a server that could not be bound (ms); default 3000. */
  readonly bindRetryMs?: number;
}

interface Resolver {
  readonly server: DnsServer;
  readonly binding: Binding;
}

/**
 * The DNS servers of one node, one per network it serves, each on the network's gateway address: tasks on
 * the network resolve service names there. Several nodes sharing one engine share the gateway address:
 * the first binds it and answers for all (their answers are the same), the others keep trying.
 */
export class NetworkResolvers {
  private readonly resolvers = new Map<string, Resolver>();
  private closed = false;

  constructor(private readonly options: NetworkResolversOptions) {}

  /** Starts the network's server while the node serves it; stops it otherwise. */
  update(routes: NetworkRoutes): void {
    if (this.closed) return;
    const { network, active } = routes;
    const current = this.resolvers.get(network.id);
    if (active && !current) this.start(network.id, network.gateway, network.spec.name);
    else if (!active && current) void this.stop(network.id);
  }

  /** Queries answered and forwarded, by network id. */
  stats(): Record<string, DnsStats> {
    return Object.fromEntries([...this.resolvers].map(([id, r]) => [id, r.server.stats()]));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.resolvers.keys()].map((id) => this.stop(id)));
  }

  private start(networkId: string, host: string, name: string): void {
    const log = this.options.log.child({ network: name });
    const server = new DnsServer({ host, port: this.options.port ?? 53, networkId, resolve: this.options.resolve, log });
    const binding = new Binding(() => server.listen(), `dns ${host}:${this.options.port ?? 53}`, log, this.options.bindRetryMs ?? 3000);
    this.resolvers.set(networkId, { server, binding });
  }

  private async stop(networkId: string): Promise<void> {
    const r = this.resolvers.get(networkId);
    if (!r) return;
    this.resolvers.delete(networkId);
    r.binding.cancel();
    await r.server.close();
  }
}
