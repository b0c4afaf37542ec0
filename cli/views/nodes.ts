import type { ManagerStatus } from '../../core/api/contract';
import type { Node } from '../../core/model/types';
import type { Column } from '../format/output';
import { capitalize } from './task-status';

/** One line of `node ls` (also its `--format json` object). */
export interface NodeRow {
  readonly ID: string;
  /** True for the node the CLI talks to (marked ` *` in the table). */
  readonly Self: boolean;
  readonly Hostname: string;
  readonly Status: string;
  readonly Availability: string;
  readonly ManagerStatus: string;
  readonly EngineVersion: string;
}

/** Columns of `node ls`. */
export const NODE_COLUMNS: readonly Column<NodeRow>[] = [
  { header: 'ID', value: (r) => (r.Self ? `${r.ID} *` : r.ID) },
  { header: 'HOSTNAME', value: (r) => r.Hostname },
  { header: 'STATUS', value: (r) => r.Status },
  { header: 'AVAILABILITY', value: (r) => r.Availability },
  { header: 'MANAGER STATUS', value: (r) => r.ManagerStatus },
  { header: 'ENGINE VERSION', value: (r) => r.EngineVersion },
];

/** What `node ls` shows for a manager: Leader, Reachable or Unreachable (empty for workers). */
export function managerStatusText(node: Node, status: ManagerStatus | undefined): string {
  if (node.spec.role !== 'manager') return '';
  if (!status) return 'Unknown';
  if (status.leader) return 'Leader';
  return status.reachability === 'unknown' ? 'Unknown' : capitalize(status.reachability);
}

/** The row of one node; `selfId` is the node the CLI talks to, `managers` the consensus view by node id. */
export function nodeRow(node: Node, selfId: string, managers: Readonly<Record<string, ManagerStatus>> = {}): NodeRow {
  return {
    ID: node.id,
    Self: node.id === selfId,
    Hostname: node.description.hostname,
    Status: capitalize(node.status.state),
    Availability: capitalize(node.spec.availability),
    ManagerStatus: managerStatusText(node, managers[node.id]),
    EngineVersion: node.description.engine.version,
  };
}
