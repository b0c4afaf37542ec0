import { OrchError } from '../errors';
import type { NodeDescription, PluginInfo } from '../model/types';
import type { Runtime } from '../runtime/contract';
import { recordSession } from '../dispatcher/store-writes';
import type { ClusterStore } from '../store/contract';
import type { NodeIdentity } from './identity';

/** What a node reports about itself, from its first (default) runtime, with `engineLabels` merged over the engine's own, and the plugins it loaded. */
export async function describeNode(runtimes: readonly Runtime[], engineLabels: Readonly<Record<string, string>> = {}, plugins: readonly PluginInfo[] = []): Promise<NodeDescription> {
  if (runtimes.length === 0) throw new OrchError('unavailable', 'no runtime plugin is loaded: this node cannot run tasks');
  const d = await runtimes[0].describe();
  return { ...d, engine: { ...d.engine, labels: { ...d.engine.labels, ...engineLabels } }, runtimes: runtimes.map((r) => r.name), plugins };
}

/** Adds this node to the store, or refreshes its description and marks it ready. Its spec is kept. */
export async function registerNode(store: ClusterStore, identity: NodeIdentity, description: NodeDescription, now: Date): Promise<void> {
  await store.update((tx) => recordSession(tx, identity, { description, addr: identity.advertiseAddr }, now));
}
