import { OrchError } from '../errors';
import type { NodeIdentity } from '../daemon/identity';
import type { Kernel } from '../kernel';
import { obj, type Json } from '../model/check';
import type { ServiceSpec } from '../model/types';
import type { Runtime } from '../runtime/contract';
import type { ClusterStore } from '../store/contract';
import type { ReplicatedLog } from '../store/replicated-log';
import { nodeHandlers } from './node-handlers';
import { clusterHandlers } from './cluster-handlers';
import { membershipHandlers } from './membership-handlers';
import { networkHandlers } from './network-handlers';
import type { CertificateAuthority } from '../cluster/ca-contract';
import type { ControlHandlers } from './server';
import { CONTROL_METHODS } from './contract';
import { serviceHandlers } from './service-handlers';
import { taskHandlers } from './task-handlers';
import { volumeHandlers } from './volume-handlers';
import type { VolumeMounter } from '../agent/volume-mounter';

export interface HandlerDeps {
  readonly store: ClusterStore;
  readonly consensus: Pick<ReplicatedLog, 'status' | 'removeMember'>;
  readonly ca: CertificateAuthority;
  readonly kernel: Kernel;
  readonly runtimes: readonly Runtime[];
  readonly volumes: VolumeMounter;
  readonly identity: NodeIdentity;
  readonly version: string;
  /** Stops the daemon after the reply is sent. */
  stop(leave: boolean): void;
}

/** How long an image found on this node is taken as present without asking the runtime again. */
const IMAGE_SEEN_MS = 30_000;

/**
 * Refuses a service whose image no runtime of this node has, so that a typo fails at create time with
 * a clear message instead of as rejected tasks. Runtimes that cannot tell, and runtimes other than the one
 * the task names, are not asked. An image found is remembered for a while (per runtime named): a burst of
 * creates asks the runtime once.
 */
export function imagePreflight(runtimes: readonly Runtime[], clock: () => number = Date.now) {
  const seen = new Map<string, number>();
  return async (spec: ServiceSpec): Promise<void> => {
    // Only the runtime the task names can tell (another node may have it and this one not: then none asks).
    const askable = runtimes.filter((r) => r.hasImage && (spec.task.runtime === undefined || r.name === spec.task.runtime));
    const image = spec.task.container.image;
    const key = `${spec.task.runtime ?? ''}/${image}`;
    if (askable.length === 0 || (seen.get(key) ?? -Infinity) > clock() - IMAGE_SEEN_MS) return;
    for (const r of askable) {
      if (await r.hasImage!(image)) {
        seen.set(key, clock());
        return;
      }
    }
    throw new OrchError('invalid', `invalid task.container.image: image "${image}" not found on this node and could not be pulled (build or load it first)`, 'task.container.image');
  };
}

/** Info and Shutdown: what every node serves, manager or worker. */
export function nodeLocalHandlers(identity: NodeIdentity, version: string, storeVersion: () => number, stop: (leave: boolean) => void) {
  return {
    Info: async () => ({ nodeId: identity.nodeId, clusterId: identity.clusterId, role: identity.role, version, pid: process.pid, storeVersion: storeVersion() }),
    Shutdown: async (req: Json) => {
      const leave = obj(req, 'request').leave === true;
      setImmediate(() => stop(leave));
      return {};
    },
  };
}

/** A worker's control API: Info and Shutdown; everything else belongs to managers. */
export function workerHandlers(identity: NodeIdentity, version: string, stop: (leave: boolean) => void, volumes: VolumeMounter): ControlHandlers {
  const local = { ...nodeLocalHandlers(identity, version, () => 0, stop), ...volumeHandlers(volumes) };
  const refuse = async () => {
    throw new OrchError('unavailable', 'this node is not a swarm manager: worker nodes cannot be used to view or modify cluster state; run this on a manager');
  };
  const all = Object.fromEntries(CONTROL_METHODS.map((m) => [m, refuse])) as unknown as ControlHandlers;
  return { ...all, ...local };
}

/** Every handler of the control API, wired to this manager. */
export function controlHandlers(d: HandlerDeps): ControlHandlers {
  return {
    ...nodeLocalHandlers(d.identity, d.version, () => d.store.version, d.stop),
    ...volumeHandlers(d.volumes),
    ...serviceHandlers(d.store, d.kernel.hooks, imagePreflight(d.runtimes)),
    ...networkHandlers(d.store),
    ...taskHandlers(d.store),
    ...nodeHandlers(d.store, d.identity.nodeId, () => d.consensus.status()),
    ...clusterHandlers(d.store, d.ca),
    ...membershipHandlers(d.store, d.consensus, d.identity.nodeId),
  };
}
