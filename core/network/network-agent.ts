import type { Logger } from 'pino';
import type { Hooks } from '../hooks';
import type { Network, Task } from '../model/types';
import type { TaskNetworkPlan } from '../runtime/contract';
import type { NetworkDriver, NetworkService, RouteChange } from './contract';
import { RouteTable } from './route-table';

const NAME = 'network-agent';

export interface NetworkAgentOptions {
  readonly hooks: Hooks;
  /** This node's network drivers, one per name. */
  readonly drivers: readonly NetworkDriver[];
  readonly nodeId: string;
  readonly log: Logger;
}

/**
 * The networking of one node. It keeps the node's {@link RouteTable} from the route changes its session
 * delivers and turns them into the kernel's hooks: `ingress.endpoints` for every service whose ports or
 * endpoints changed, and `network.routes` for every network whose services changed, once the network's
 * driver has made its virtual IPs local. It taps `network.attach` (a task joins its networks through their
 * drivers, and resolves names with the node's DNS server on its first network), `network.detach`, and
 * `network.resolve` (service names, at stage 100, after any plugin's own names).
 *
 * A node serves a network (its DNS server and virtual IPs) while it has a task on it: one it prepared
 * since it started, or a running one it already had.
 */
export class NetworkAgent {
  private readonly table = new RouteTable();
  /** Networks made on this node, by id. */
  private readonly created = new Map<string, Promise<void>>();
  /** Networks a task was attached to here since start. */
  private readonly attachedHere = new Set<string>();
  /** Per network, the sync under way: syncs of one network never overlap. */
  private readonly syncs = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: NetworkAgentOptions) {
    const { hooks } = options;
    hooks.network.attach.tapPromise(NAME, (plan, task) => this.attach(plan, task));
    hooks.network.detach.tapPromise(NAME, (task) => this.detach(task));
    hooks.network.resolve.tap({ name: NAME, stage: 100 }, (q) => this.table.resolve(q));
  }

  /** Applies a route change from the session. */
  apply(change: RouteChange): void {
    if (this.closed) return;
    // A complete change drops every network it does not hold (one removed while the node was away).
    const gone = change.full ? this.table.networkIds().filter((id) => !change.networks.some((n) => n.id === id)) : change.removedNetworks;
    const removed = gone.map((id) => this.table.network(id)).filter((n): n is Network => n !== undefined);
    const touched = this.table.apply(change);
    for (const id of touched.services) this.options.hooks.ingress.endpoints.call(this.table.serviceEndpoints(id));
    for (const n of removed) this.queue(n.id, () => this.retire(n));
    for (const id of touched.networks) if (this.table.network(id)) this.queue(id, () => this.sync(id));
  }

  /** Removes every network made on this node (when it leaves the cluster, its tasks gone). */
  async removeAll(): Promise<void> {
    for (const id of [...this.created.keys()]) {
      const network = this.table.network(id);
      if (network) await this.retire(network);
    }
  }

  /** Stops reacting to changes; what is set up stays (a restarted node takes it over). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.syncs.values());
  }

  private async attach(plan: TaskNetworkPlan, task: Task): Promise<TaskNetworkPlan> {
    const attachments = task.networks ?? [];
    if (attachments.length === 0) return plan;
    const networks = [];
    for (const a of attachments) {
      const network = this.table.network(a.networkId);
      if (!network) throw new Error(`network ${a.networkId} is not known to this node (it may have been removed)`);
      const driver = this.driverOf(network);
      await this.ensureCreated(network, driver);
      networks.push(await driver.attach(task, network, a));
      if (!this.attachedHere.has(network.id)) {
        this.attachedHere.add(network.id);
        this.queue(network.id, () => this.sync(network.id));
      }
    }
    const first = this.table.network(attachments[0].networkId)!;
    return { ...plan, networks: [...plan.networks, ...networks], dns: [...plan.dns, first.gateway] };
  }

  private async detach(task: Task): Promise<void> {
    for (const a of task.networks ?? []) {
      const network = this.table.network(a.networkId);
      if (network) await this.driverOf(network).detach(task, network);
    }
  }

  /** Runs `step` after the network's earlier steps; errors are logged. */
  private queue(networkId: string, step: () => Promise<void>): void {
    const next = (this.syncs.get(networkId) ?? Promise.resolve())
      .then(step)
      .catch((err: Error) => this.options.log.warn({ network: networkId, err: err.message }, 'network: could not apply routes'));
    this.syncs.set(networkId, next);
    void next.finally(() => {
      if (this.syncs.get(networkId) === next) this.syncs.delete(networkId);
    });
  }

  /** Brings the node's side of a network in line with the table, then tells the hook. */
  private async sync(networkId: string): Promise<void> {
    const network = this.table.network(networkId);
    if (!network || this.closed) return;
    const active = this.attachedHere.has(networkId) || this.table.hasEndpointOn(networkId, this.options.nodeId);
    const services = this.table.networkServices(networkId);
    let local: readonly string[] = [];
    if (active) {
      const driver = this.driverOf(network);
      await this.ensureCreated(network, driver);
      local = await driver.setAddresses(network, [...services.flatMap((s) => (s.vip !== undefined ? [s.vip] : [])), ...this.remoteTaskAddresses(networkId, services)]);
    }
    const vips = new Set(services.map((s) => s.vip));
    this.options.hooks.network.routes.call({ network, active, services, relayed: local.filter((a) => !vips.has(a)) });
  }

  /** Addresses on a network of other nodes' tasks of dnsrr services: names resolve to them, so every node answers them. */
  private remoteTaskAddresses(networkId: string, services: readonly NetworkService[]): string[] {
    return services
      .filter((s) => s.mode === 'dnsrr')
      .flatMap((s) => s.endpoints.filter((e) => e.nodeId !== this.options.nodeId))
      .flatMap((e) => e.networks.filter((n) => n.networkId === networkId).map((n) => n.addr));
  }

  /** A network removed from the cluster: its listeners close and its driver removes it here. */
  private async retire(network: Network): Promise<void> {
    this.options.hooks.network.routes.call({ network, active: false, services: [], relayed: [] });
    this.attachedHere.delete(network.id);
    if (!this.created.has(network.id)) return;
    this.created.delete(network.id);
    await this.driverOf(network).removeNetwork(network);
  }

  private ensureCreated(network: Network, driver: NetworkDriver): Promise<void> {
    let made = this.created.get(network.id);
    if (!made) {
      made = driver.createNetwork(network);
      this.created.set(network.id, made);
      made.catch(() => this.created.delete(network.id));
    }
    return made;
  }

  private driverOf(network: Network): NetworkDriver {
    const driver = this.options.drivers.find((d) => d.name === network.spec.driver);
    if (!driver) {
      const names = this.options.drivers.map((d) => d.name).join(', ') || 'none';
      throw new Error(`network driver "${network.spec.driver}" of network ${network.spec.name} is not available on this node (it has ${names})`);
    }
    return driver;
  }
}
