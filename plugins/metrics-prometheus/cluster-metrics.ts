import { Gauge, type Registry } from 'prom-client';
import type { NodeState } from '../../core/model/types';
import type { ClusterStore } from '../../core/store/contract';
import type { LogStatus, ReplicatedLog } from '../../core/store/replicated-log';

/** Every node state, so that each has a series (0 when no node is in it). */
const NODE_STATES: readonly NodeState[] = ['ready', 'down', 'disconnected', 'unknown'];

/** Raft figures, each read from this manager's consensus status at scrape time. */
const RAFT_GAUGES: readonly (readonly [name: string, help: string, value: (s: LogStatus) => number])[] = [
  ['orch_raft_term', 'Raft term this manager is in.', (s) => s.term],
  ['orch_raft_commit_index', 'Index of the last Raft log entry this manager knows to be committed.', (s) => s.commitIndex],
  ['orch_raft_applied_index', "Index of the last Raft log entry applied to this manager's store.", (s) => s.appliedIndex],
  ['orch_raft_is_leader', '1 while this manager is the Raft leader, else 0.', (s) => (s.isLeader ? 1 : 0)],
  ['orch_raft_members', 'Raft members (managers) in force.', (s) => s.members.length],
  [
    'orch_raft_reachable_members',
    'Raft members this manager heard from recently, itself included (only the leader hears from every member).',
    (s) => s.members.filter((m) => m.reachable).length,
  ],
];

/** Where a manager's cluster figures come from; looked up at each scrape. */
export interface ClusterSources {
  readonly consensus: () => ReplicatedLog;
  readonly store: () => ClusterStore;
}

/**
 * Registers a manager's cluster figures, read at scrape time: Raft progress and membership from the
 * consensus provider's `status()`, and nodes by state (as the dispatcher records them) from its copy of
 * the store.
 */
export function registerClusterMetrics(registry: Registry, sources: ClusterSources): void {
  const registers = [registry];
  for (const [name, help, value] of RAFT_GAUGES) {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(value(sources.consensus().status()));
      },
    });
  }
  new Gauge({
    name: 'orch_nodes',
    help: 'Nodes of the cluster by state (ready, down, …), as the dispatcher last recorded them.',
    labelNames: ['state'],
    registers,
    collect() {
      const counts = new Map<NodeState, number>(NODE_STATES.map((s) => [s, 0]));
      for (const n of sources.store().view((r) => r.nodes.all())) counts.set(n.status.state, (counts.get(n.status.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
}
