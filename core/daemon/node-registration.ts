import { OrchError } from '../errors';
import { DEFAULT_CLUSTER_SETTINGS, type NodeDescription } from '../model/types';
import type { Runtime } from '../runtime/contract';
import type { ClusterStore } from '../store/contract';
import type { NodeIdentity } from './identity';

/** What a node reports about itself, from its first (default) runtime. */
export async function describeNode(runtimes: readonly Runtime[]): Promise<NodeDescription> {
  if (runtimes.length === 0) throw new OrchError('unavailable', 'no runtime plugin is loaded: this node cannot run tasks');
  const d = await runtimes[0].describe();
  return { ...d, runtimes: runtimes.map((r) => r.name) };
}

/** Creates the cluster object on a new cluster (a no-op when it exists). */
export async function bootstrapCluster(store: ClusterStore, identity: NodeIdentity): Promise<void> {
  await store.update((tx) => {
    if (tx.clusters.get(identity.clusterId)) return;
    tx.clusters.create({ id: identity.clusterId, name: 'default', settings: DEFAULT_CLUSTER_SETTINGS });
  });
}

/** Adds this node to the store, or refreshes its description and marks it ready. Its spec is kept. */
export async function registerNode(store: ClusterStore, identity: NodeIdentity, description: NodeDescription, now: Date): Promise<void> {
  const status = { state: 'ready' as const, message: '', addr: identity.advertiseAddr, heartbeatAt: now.toISOString() };
  await store.update((tx) => {
    const n = tx.nodes.get(identity.nodeId);
    if (n) tx.nodes.update({ ...n, description, status });
    else tx.nodes.create({ id: identity.nodeId, spec: { role: identity.role, availability: 'active', labels: {} }, description, status });
  });
}
