import { OrchError, ValidationError } from '../errors';
import type { Network } from '../model/types';
import { formatCidr, formatIpv4, gatewayOf, overlaps, parseCidr, type Subnet } from '../network/ipv4';

/** The pool networks get their subnets from when they ask for none: 10.0.0.0/8, in /24s. */
const POOL = parseCidr('10.0.0.0/8')!;
const BLOCK_PREFIX = 24;
const BLOCKS = 2 ** (BLOCK_PREFIX - POOL.prefix);
/** Never handed out: the /24 docker's own ingress network takes by default. */
const RESERVED = parseCidr('10.0.0.0/24')!;

/** A network's addressing: its subnet (CIDR) and gateway (its first host address). */
export interface SubnetAllocation {
  readonly subnet: string;
  readonly gateway: string;
}

/**
 * Picks a new network's subnet. Pure.
 * - Without `requested`: the first /24 of 10.0.0.0/8 that overlaps no existing network's subnet (nor
 *   10.0.0.0/24), scanning from /24 number `offset` (mod 65536) and wrapping around; an offset that
 *   differs per cluster keeps clusters sharing a Docker engine on different subnets.
 * - With `requested`: that subnet, unless it overlaps an existing network's.
 * @param requested a CIDR with no host bits (as parseNetworkSpec checks).
 * @throws ValidationError naming `subnet` (and the network it overlaps); OrchError(unavailable) when the pool is full.
 */
export function allocateSubnet(requested: string | undefined, existing: readonly Network[], offset: number): SubnetAllocation {
  const taken = existing.map((n) => ({ network: n, subnet: parseCidr(n.subnet) })).filter((t): t is { network: Network; subnet: Subnet } => t.subnet !== undefined);
  if (requested !== undefined) {
    const subnet = parseCidr(requested);
    if (!subnet) throw new ValidationError('subnet', `"${requested}" is not a subnet: expected CIDR form with no host bits set`);
    const clash = taken.find((t) => overlaps(t.subnet, subnet));
    if (clash) throw new ValidationError('subnet', `${requested} overlaps the subnet ${clash.network.subnet} of network "${clash.network.spec.name}"`);
    return allocation(subnet);
  }
  const start = ((Math.trunc(offset) % BLOCKS) + BLOCKS) % BLOCKS;
  for (let i = 0; i < BLOCKS; i++) {
    const block: Subnet = { base: POOL.base + ((start + i) % BLOCKS) * 2 ** (32 - BLOCK_PREFIX), prefix: BLOCK_PREFIX };
    if (!overlaps(block, RESERVED) && !taken.some((t) => overlaps(t.subnet, block))) return allocation(block);
  }
  throw new OrchError('unavailable', `no free /${BLOCK_PREFIX} left in ${formatCidr(POOL)}: remove a network, or ask for a subnet outside it`, 'subnet');
}

function allocation(subnet: Subnet): SubnetAllocation {
  return { subnet: formatCidr(subnet), gateway: formatIpv4(gatewayOf(subnet)) };
}
