import type { EndpointMode, Network, PortBinding, PortConfig, Task, TaskNetworkAttachment, VirtualIp } from '../model/types';
import type { RuntimeNetworkAttachment } from '../runtime/contract';

/** The default network driver's name, as `network create` assumes it and compose files write it. */
export const DEFAULT_NETWORK_DRIVER = 'overlay';

/**
 * A network driver makes cluster networks real on one node (provider; several may be registered, one per
 * name, under `Tokens.NetworkDriver`). A network is created on a node when a task of it is first prepared
 * there, and removed when the network is removed from the cluster. Every method is idempotent: the node
 * calls them again after a restart, and several nodes may share one engine.
 */
export interface NetworkDriver {
  /** Name used in `NetworkSpec.driver`, e.g. `overlay`. */
  readonly name: string;
  /** Makes the network exist on this node (a no-op when it does). */
  createNetwork(network: Network): Promise<void>;
  /** Removes the network from this node; tolerates one still in use by another node sharing the engine. */
  removeNetwork(network: Network): Promise<void>;
  /** Connects a task being prepared: returns the runtime network it joins, with its allocated address. */
  attach(task: Task, network: Network, attachment: TaskNetworkAttachment): Promise<RuntimeNetworkAttachment>;
  /** Disconnects a task whose runtime resources are removed (a no-op when it is not connected). */
  detach(task: Task, network: Network): Promise<void>;
  /**
   * Makes `addrs` (virtual IPs, and addresses of other nodes' tasks) local addresses of this node's side of
   * the network, so that the node's proxy can listen on them; replaces the set given last time. An address
   * a task holds on this node's own network (a task of another node sharing the engine) is left to it.
   * Resolves with the addresses it made local.
   */
  setAddresses(network: Network, addrs: readonly string[]): Promise<readonly string[]>;
}

/** A running task of a service, where the mesh, the virtual IPs and DNS may send traffic. */
export interface Endpoint {
  readonly taskId: string;
  readonly serviceId: string;
  readonly nodeId: string;
  /** Its address on its own node (e.g. a container IP): only that node should use it. */
  readonly addr?: string;
  /** Its target ports bound on its node's advertise address: any node reaches them there. */
  readonly ports: readonly PortBinding[];
  /** Its addresses on its service's networks. */
  readonly networks: readonly TaskNetworkAttachment[];
}

/** What every node needs to know of a service to route to it. */
export interface ServiceRoute {
  readonly id: string;
  readonly name: string;
  readonly mode: EndpointMode;
  /** Allocated ports (published ports filled in). */
  readonly ports: readonly PortConfig[];
  /** Its networks, by id, with the extra names it has on each. */
  readonly networks: readonly { readonly networkId: string; readonly aliases: readonly string[] }[];
  /** Its virtual IPs (vip mode). */
  readonly virtualIps: readonly VirtualIp[];
}

/**
 * A change of the routing state every node holds: services, their running endpoints and the networks.
 * `full` means this is the complete state (sent first and after each reconnection), replacing what the
 * node had. Sent down each node's session with its assignments.
 */
export interface RouteChange {
  readonly full: boolean;
  readonly services: readonly ServiceRoute[];
  readonly removedServices: readonly string[];
  readonly endpoints: readonly Endpoint[];
  /** Task ids no longer running (or gone). */
  readonly removedEndpoints: readonly string[];
  readonly networks: readonly Network[];
  readonly removedNetworks: readonly string[];
}

/** A service as it appears on one network. */
export interface NetworkService {
  readonly serviceId: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly mode: EndpointMode;
  /** Its virtual IP on the network (vip mode). */
  readonly vip?: string;
  /** Ports its virtual IP serves: the service's target ports and every port its endpoints expose. */
  readonly targetPorts: readonly { readonly protocol: PortConfig['protocol']; readonly targetPort: number }[];
  readonly endpoints: readonly Endpoint[];
}

/** Everything a node needs to serve one network: names for its DNS server, virtual IPs for its proxy. */
export interface NetworkRoutes {
  readonly network: Network;
  /**
   * Whether this node serves the network: it has (or just prepared) a task on it. False also once the
   * network is removed, with no services.
   */
  readonly active: boolean;
  readonly services: readonly NetworkService[];
  /**
   * Addresses of other nodes' tasks (dnsrr services) made local on this node: the proxy relays each to its
   * task's exposed ports, so that a task address answers from every node.
   */
  readonly relayed: readonly string[];
}

/** A DNS question as a node's resolver for one network asks it. */
export interface DnsQuery {
  readonly networkId: string;
  /** Name asked for, lower-case, without the trailing dot. */
  readonly name: string;
  /** Address the query came from (the asking task's address on the network, when it is a task). */
  readonly source: string;
}
