import { OrchError } from '../errors';
import type { NodeIdentity } from '../daemon/identity';
import type { Kernel } from '../kernel';
import { obj, type Json } from '../model/check';
import type { ServiceSpec } from '../model/types';
import type { Runtime } from '../runtime/contract';
import type { ClusterStore } from '../store/contract';
import { nodeHandlers } from './node-handlers';
import type { ControlHandlers } from './server';
import { serviceHandlers } from './service-handlers';
import { taskHandlers } from './task-handlers';

export interface HandlerDeps {
  readonly store: ClusterStore;
  readonly kernel: Kernel;
  readonly runtimes: readonly Runtime[];
  readonly identity: NodeIdentity;
  readonly version: string;
  /** Stops the daemon after the reply is sent. */
  stop(leave: boolean): void;
}

/**
 * Refuses a service whose image no runtime of this node has, so that a typo fails at create time with
 * a clear message instead of as rejected tasks. Runtimes that cannot tell are not asked.
 */
export function imagePreflight(runtimes: readonly Runtime[]) {
  return async (spec: ServiceSpec): Promise<void> => {
    const askable = runtimes.filter((r) => r.hasImage);
    if (askable.length === 0) return;
    for (const r of askable) if (await r.hasImage!(spec.task.container.image)) return;
    throw new OrchError('invalid', `invalid task.container.image: image "${spec.task.container.image}" not found on this node and could not be pulled (build or load it first)`, 'task.container.image');
  };
}

/** Every handler of the control API, wired to this daemon. */
export function controlHandlers(d: HandlerDeps): ControlHandlers {
  return {
    Info: async () => ({
      nodeId: d.identity.nodeId,
      clusterId: d.identity.clusterId,
      role: d.identity.role,
      version: d.version,
      pid: process.pid,
      storeVersion: d.store.version,
    }),
    ...serviceHandlers(d.store, d.kernel.hooks, imagePreflight(d.runtimes)),
    ...taskHandlers(d.store),
    ...nodeHandlers(d.store, d.identity.nodeId),
    Shutdown: async (req: Json) => {
      const leave = obj(req, 'request').leave === true;
      setImmediate(() => d.stop(leave));
      return {};
    },
  };
}
