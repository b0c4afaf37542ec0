import type { ClusterSettings } from '../model/types';
import type { ClusterStore } from '../store/contract';
import type { ConsensusSettings, ReplicatedLog } from '../store/replicated-log';

/** The consensus settings a cluster sets (`swarm update --election-tick …`); unset ones are left out. */
export function consensusSettings(s: ClusterSettings): Partial<ConsensusSettings> {
  return {
    ...(s.electionTick !== undefined && { electionTicks: s.electionTick }),
    ...(s.heartbeatTick !== undefined && { heartbeatTicks: s.heartbeatTick }),
    ...(s.snapshotInterval !== undefined && { snapshotInterval: s.snapshotInterval }),
  };
}

/** Applies the cluster's consensus settings to this member now and whenever they change. Returns a stop function. */
export function followConsensusSettings(store: ClusterStore, consensus: Pick<ReplicatedLog, 'configure'>): () => void {
  let applied = '';
  const apply = () => {
    const cluster = store.view((r) => r.clusters.all()[0]);
    if (!cluster) return;
    const settings = consensusSettings(cluster.settings);
    const key = JSON.stringify(settings);
    if (key === applied) return;
    applied = key;
    consensus.configure(settings);
  };
  apply();
  return store.watch((events) => {
    if (events.some((e) => e.table === 'clusters')) apply();
  });
}
