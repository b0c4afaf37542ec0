import type Docker from 'dockerode';
import type { Logger } from 'pino';
import { DEFAULT_NETWORK_DRIVER, type NetworkDriver } from '../../core/network/contract';
import type { Network, Task, TaskNetworkAttachment } from '../../core/model/types';
import type { RuntimeNetworkAttachment } from '../../core/runtime/contract';
import { messageOf, statusOf } from '../runtime-docker/docker-errors';
import { addAddress, hostAddresses, removeAddress } from './addresses';
import { bridgeName, dockerNetworkName, NETWORK_LABELS } from './naming';

/**
 * The default network driver, `overlay`: on each node a cluster network is a Docker bridge network with
 * the cluster's subnet, on which tasks get the addresses the managers allocated. Tasks on other nodes are
 * reached through the routing mesh (their exposed ports), so no kernel overlay (VXLAN, IPVS) is needed.
 * Virtual IPs are /32 addresses on the bridge, where the node's proxy listens.
 *
 * Nodes sharing one engine share the Docker network: creating it again is a no-op, and removing it is
 * left to the last node whose containers are gone.
 */
export class OverlayDriver implements NetworkDriver {
  readonly name = DEFAULT_NETWORK_DRIVER;

  constructor(
    private readonly docker: Docker,
    private readonly log: Logger,
  ) {}

  async createNetwork(network: Network): Promise<void> {
    const name = dockerNetworkName(network);
    if (await this.exists(name)) return;
    try {
      await this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Attachable: network.spec.attachable,
        IPAM: { Driver: 'default', Config: [{ Subnet: network.subnet, Gateway: network.gateway }] },
        Options: { 'com.docker.network.bridge.name': bridgeName(network) },
        Labels: { ...network.spec.labels, [NETWORK_LABELS.id]: network.id, [NETWORK_LABELS.name]: network.spec.name },
      });
      this.log.info({ network: network.spec.name, docker: name, subnet: network.subnet }, 'overlay: network created');
    } catch (err) {
      if (statusOf(err) === 409 && (await this.exists(name))) return;
      throw new Error(`cannot create network ${network.spec.name} (${network.subnet}) on this node: ${messageOf(err)}`);
    }
  }

  async removeNetwork(network: Network): Promise<void> {
    try {
      await this.docker.getNetwork(dockerNetworkName(network)).remove();
    } catch (err) {
      const status = statusOf(err);
      // 404: already gone; 403/409: containers of another node on this engine still use it.
      if (status === 404) return;
      if (status === 403 || status === 409) {
        this.log.info({ network: network.spec.name, why: messageOf(err) }, 'overlay: network still in use on this engine; left in place');
        return;
      }
      throw new Error(`cannot remove network ${network.spec.name} on this node: ${messageOf(err)}`);
    }
  }

  async attach(_task: Task, network: Network, attachment: TaskNetworkAttachment): Promise<RuntimeNetworkAttachment> {
    return { name: dockerNetworkName(network), ipv4Address: attachment.addr };
  }

  /** Nothing to undo: a container leaves its networks when it is removed. */
  async detach(): Promise<void> {}

  async setAddresses(network: Network, addrs: readonly string[]): Promise<readonly string[]> {
    const iface = bridgeName(network);
    const have = new Set(await hostAddresses(iface));
    const held = await this.containerAddresses(network);
    const want = new Set(addrs.filter((a) => !held.has(a)));
    for (const a of want) if (!have.has(a)) await addAddress(iface, a);
    for (const a of have) if (!want.has(a)) await removeAddress(iface, a);
    return [...want];
  }

  /** Addresses containers on this engine hold on the network (tasks of nodes sharing the engine). */
  private async containerAddresses(network: Network): Promise<Set<string>> {
    const info = (await this.docker.getNetwork(dockerNetworkName(network)).inspect()) as { Containers?: Record<string, { IPv4Address?: string }> };
    return new Set(Object.values(info.Containers ?? {}).flatMap((c) => (c.IPv4Address ? [c.IPv4Address.split('/')[0]] : [])));
  }

  private async exists(name: string): Promise<boolean> {
    try {
      await this.docker.getNetwork(name).inspect();
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }
}
