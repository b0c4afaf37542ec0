import Docker from 'dockerode';
import type { Plugin } from '../../../core/kernel';
import type { Network, Task, TaskNetworkAttachment } from '../../../core/model/types';
import type { NetworkDriver } from '../../../core/network/contract';
import type { RuntimeNetworkAttachment } from '../../../core/runtime/contract';
import { Tokens } from '../../../core/tokens';
import { addAddress, hostAddresses, removeAddress } from '../../../plugins/net-overlay/addresses';

/** The Docker network and Linux bridge of a cluster network (interface names take at most 15 characters). */
export const servicesOnlyNames = (net: Network) => ({ network: `svc-${net.spec.name}-${net.id.slice(0, 8)}`, bridge: `svc-${net.id.slice(0, 11)}` });

/** The engine's answer to a call that failed, as dockerode reports it. */
const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

/**
 * The `services-only` network driver: like `overlay`, a cluster network is a bridge on each node with the
 * cluster's subnet and addresses, but with Docker's inter-container communication off: tasks on it reach
 * the network's services by name and virtual IP (through the node's proxy, on the bridge's host side) and
 * nothing of each other directly, so a compromised task cannot scan its neighbours or reach a port no
 * service offers. Use endpoint mode `vip` on it (`dnsrr` names resolve to task addresses, which it drops).
 * `orch network create --driver services-only NAME`.
 */
export class ServicesOnlyDriver implements NetworkDriver {
  readonly name = 'services-only';

  constructor(private readonly docker: Docker) {}

  async createNetwork(net: Network): Promise<void> {
    const { network, bridge } = servicesOnlyNames(net);
    try {
      await this.docker.createNetwork({
        Name: network,
        Driver: 'bridge',
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: net.subnet, Gateway: net.gateway }] },
        Options: { 'com.docker.network.bridge.name': bridge, 'com.docker.network.bridge.enable_icc': 'false' },
        Labels: { 'orch.network.id': net.id },
      });
    } catch (err) {
      if (statusOf(err) !== 409) throw new Error(`cannot create services-only network ${net.spec.name}: ${(err as Error).message}`);
    }
  }

  async removeNetwork(net: Network): Promise<void> {
    // 404: gone already; 403/409: still used by another node's tasks on a shared engine.
    await this.docker.getNetwork(servicesOnlyNames(net).network).remove().catch((err: unknown) => {
      if (![404, 403, 409].includes(statusOf(err) ?? 0)) throw err;
    });
  }

  async attach(_task: Task, net: Network, attachment: TaskNetworkAttachment): Promise<RuntimeNetworkAttachment> {
    return { name: servicesOnlyNames(net).network, ipv4Address: attachment.addr };
  }

  async detach(): Promise<void> {}

  /** Virtual IPs as /32 addresses on the bridge, where the node's proxy answers them. */
  async setAddresses(net: Network, addrs: readonly string[]): Promise<readonly string[]> {
    const { bridge } = servicesOnlyNames(net);
    const have = new Set(await hostAddresses(bridge));
    for (const a of addrs) if (!have.has(a)) await addAddress(bridge, a);
    for (const a of have) if (!addrs.includes(a)) await removeAddress(bridge, a);
    return addrs;
  }
}

/** Load with `"plugins": [".../net-services-only"]` in the data dir's orch.json (on every node). */
const servicesOnly: Plugin = {
  name: 'net-services-only',
  version: '1.0.0',
  kernel: '^1.0',
  provides: ['NetworkDriver'],
  apply(kernel) {
    kernel.provide(Tokens.NetworkDriver, new ServicesOnlyDriver(new Docker()));
  },
};

export default servicesOnly;
