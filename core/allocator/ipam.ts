import { OrchError } from '../errors';
import { formatIpv4, parseCidr, parseIpv4, usableRange } from '../network/ipv4';
import type { Network } from '../model/types';

/** The addresses of one network: which are taken, and where the next search starts (all below are taken). */
interface Pool {
  readonly name: string;
  readonly first: number;
  readonly last: number;
  readonly used: Set<number>;
  cursor: number;
}

/**
 * Address pools of the cluster's networks: hands out task addresses and virtual IPs from each network's
 * subnet (never its network, gateway or broadcast address), the lowest free one first. Pure.
 */
export class AddressPools {
  private readonly pools = new Map<string, Pool>();

  /** Adds a network's pool (a no-op when it has one). */
  add(network: Network): void {
    if (this.pools.has(network.id)) return;
    const subnet = parseCidr(network.subnet);
    if (!subnet) throw new OrchError('invalid', `network ${network.spec.name} has an invalid subnet "${network.subnet}"`);
    const { first, last } = usableRange(subnet);
    this.pools.set(network.id, { name: network.spec.name, first, last, used: new Set(), cursor: first });
  }

  has(networkId: string): boolean {
    return this.pools.has(networkId);
  }

  /** Marks an address taken (one outside the network's range is ignored). */
  reserve(networkId: string, addr: string): void {
    const pool = this.pools.get(networkId);
    const n = parseIpv4(addr);
    if (pool && n !== undefined && n >= pool.first && n <= pool.last) pool.used.add(n);
  }

  /**
   * Takes the next free address of a network.
   * @throws OrchError(unavailable) when the network has none left.
   */
  allocate(networkId: string): string {
    const pool = this.pools.get(networkId);
    if (!pool) throw new OrchError('not-found', `network ${networkId} not found`);
    const size = pool.last - pool.first + 1;
    for (let i = 0; i < size; i++) {
      const n = pool.first + ((pool.cursor - pool.first + i) % size);
      if (pool.used.has(n)) continue;
      pool.used.add(n);
      pool.cursor = n + 1 > pool.last ? pool.first : n + 1;
      return formatIpv4(n);
    }
    throw new OrchError('unavailable', `network ${pool.name} has no free address left (all ${size} are in use)`);
  }
}
