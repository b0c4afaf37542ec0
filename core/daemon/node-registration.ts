import { OrchError } from '../errors';
import type { NodeDescription } from '../model/types';
import type { Runtime } from '../runtime/contract';
import type { ClusterStore } from '../store/contract';
import type { NodeIdentity } from './identity';

/** What a node reports about itself, from its first (default) runtime, with `engineLabels` merged over the engine's own. */
export async function describeNode(runtimes: readonly Runtime[], engineLabels: Readonly<Record<string, string>> = {}): Promise<NodeDescription> {
  if (runtimes.length === 0) throw new OrchError('unavailable', 'no runtime plugin is loaded: this node cannot run tasks');
  const d = await runtimes[0].describe();
  return { ...d, engine: { ...d.engine, labels: { ...d.engine.labels, ...engineLabels } }, runtimes: runtimes.map((r) => r.name) };
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
