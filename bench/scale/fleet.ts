import type { ControlApi, ControlMethod } from '../../core/api/contract';
import { runPool } from '../../core/testing/sim/pool';
import { SimFleet } from '../../core/testing/sim/sim-fleet';
import { forgeCertificateAuthority } from '../../plugins/ca-forge/provider';
import { SimRuntime, type SimDelay } from '../../plugins/runtime-sim';
import { engineLabelsOf, isGold } from './plan';

/** Calls a manager's control API (a `ScaleManager`'s or a test node's). */
export type ControlCall = <M extends ControlMethod>(method: M, req: ControlApi[M]['req']) => Promise<ControlApi[M]['res']>;

/** Joins (and label updates) at a time: each join has the leader sign a certificate in JavaScript, which holds its event loop. */
const CONCURRENCY = 4;
/** Each simulated node: 4 CPUs, 16 GiB. */
const NODE_RESOURCES = { nanoCpus: 4e9, memoryBytes: 16 * 1024 ** 3 };

/**
 * Joins `count` simulated nodes through `managerAddr` (engine label `zone`, see `engineLabelsOf`), then
 * gives every gold node (`isGold`) the node label `tier=gold` with NodeUpdate; `concurrency` (default 4) at a time.
 */
export async function startScaleFleet(o: {
  readonly count: number;
  readonly token: string;
  readonly managerAddr: string;
  readonly call: ControlCall;
  readonly startDelayMs?: SimDelay;
  readonly concurrency?: number;
}): Promise<SimFleet> {
  const fleet = await SimFleet.start({
    count: o.count,
    token: o.token,
    managerAddr: o.managerAddr,
    ca: forgeCertificateAuthority,
    concurrency: o.concurrency ?? CONCURRENCY,
    hostname: (i) => `sim-${i}`,
    engineLabels: engineLabelsOf,
    runtime: (i) => new SimRuntime({ hostname: `sim-${i}`, resources: NODE_RESOURCES, startDelayMs: o.startDelayMs ?? [20, 200] }),
  });
  try {
    const gold = fleet.nodes.filter((_, i) => isGold(i));
    await runPool(gold.length, o.concurrency ?? CONCURRENCY, async (i) => void (await o.call('NodeUpdate', { ref: gold[i].nodeId, labelAdd: { tier: 'gold' } })));
  } catch (err) {
    fleet.close();
    throw err;
  }
  return fleet;
}
