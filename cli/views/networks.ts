import { shortId } from '../../core/model/ids';
import type { Network } from '../../core/model/types';
import type { Column } from '../format/output';

/** One line of `network ls` (also its `--format json` object). */
export interface NetworkRow {
  readonly ID: string;
  readonly Name: string;
  readonly Driver: string;
  /** Always `swarm`: every network spans the cluster. */
  readonly Scope: 'swarm';
  readonly Subnet: string;
}

/** Columns of `network ls`: docker's, plus the subnet. */
export const NETWORK_COLUMNS: readonly Column<NetworkRow>[] = [
  { header: 'NETWORK ID', value: (r) => r.ID },
  { header: 'NAME', value: (r) => r.Name },
  { header: 'DRIVER', value: (r) => r.Driver },
  { header: 'SCOPE', value: (r) => r.Scope },
  { header: 'SUBNET', value: (r) => r.Subnet },
];

/** The row of one network, its id shortened to 12 characters. */
export function networkRow(network: Network): NetworkRow {
  return { ID: shortId(network.id), Name: network.spec.name, Driver: network.spec.driver, Scope: 'swarm', Subnet: network.subnet };
}
