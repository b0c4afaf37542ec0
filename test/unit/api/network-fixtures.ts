import { networkHandlers } from '../../../core/api/network-handlers';
import { serviceHandlers } from '../../../core/api/service-handlers';
import { Hooks } from '../../../core/hooks';
import { DEFAULT_CLUSTER_SETTINGS } from '../../../core/model/types';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';

export const CLUSTER_ID = 'cluster-1';

/** A store holding a cluster object, with the network and service handlers on it (no image preflight). */
export async function setup(hooks = new Hooks()) {
  const store = new ReplicatedStore(new MemoryLog());
  await store.start();
  await store.update((tx) => tx.clusters.create({ id: CLUSTER_ID, name: 'default', settings: DEFAULT_CLUSTER_SETTINGS }));
  const api = { ...networkHandlers(store), ...serviceHandlers(store, hooks, async () => {}) };

  /** Awaits a call that must fail, checks that the store did not change, and returns the error. */
  const refused = async (call: Promise<unknown>): Promise<{ code?: string; field?: string; message: string }> => {
    const before = store.version;
    const err = await call.then(
      () => {
        throw new Error('expected the call to be refused');
      },
      (e: unknown) => e as { code?: string; field?: string; message: string },
    );
    expect(store.version).toBe(before);
    return err;
  };
  return { store, api, refused };
}

/** A minimal service spec as a client sends it. */
export const serviceSpec = (name: string, extra: Record<string, unknown> = {}) => ({ name, task: { container: { image: 'orch-test/busybox' } }, ...extra });
