import type { Network } from '../../core/model/types';

/** Labels orch puts on the Docker networks it makes. */
export const NETWORK_LABELS = { id: 'orch.network.id', name: 'orch.network.name' } as const;

/** The Docker network of a cluster network: `orch-<name>-<first 10 characters of its id>`. */
export function dockerNetworkName(network: Network): string {
  return `orch-${network.spec.name}-${network.id.slice(0, 10)}`;
}

/** The Linux bridge of a cluster network (at most 15 characters, as interface names must be). */
export function bridgeName(network: Network): string {
  return `orch-${network.id.slice(0, 10)}`;
}
