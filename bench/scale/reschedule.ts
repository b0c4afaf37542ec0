import type { SimFleet } from '../../core/testing/sim/sim-fleet';
import { sleep } from '../support';
import type { ControlCall } from './fleet';
import { watchConvergence } from './load';
import type { PlannedService } from './plan';

/** Killed nodes whose tasks one TaskList call asks for. */
const VICTIMS_PER_CALL = 5;

/** `count` of `n` indexes spread evenly (0, n/count, 2n/count, …). Pure. */
export function spreadPick(n: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.floor((k * n) / count));
}

/**
 * Kills `count` simulated nodes spread over the fleet and resolves with how long it took until none of
 * them had a task of a planned (replicated) service desired running and every planned service ran all its
 * replicas again, and how many such tasks they had. (A global service's task stays on a DOWN node.)
 * Throws after `timeoutMs`.
 */
export async function killAndReschedule(o: {
  readonly call: ControlCall;
  readonly fleet: SimFleet;
  readonly count: number;
  readonly plan: readonly PlannedService[];
  readonly timeoutMs: number;
}): Promise<{ ms: number; tasks: number }> {
  const alive = o.fleet.alive;
  const victims = spreadPick(alive.length, o.count).map((i) => alive[i]);
  const node = victims.map((v) => v.nodeId);
  const service = o.plan.map((p) => p.name);
  // A few nodes a call: the tasks of 100 nodes at once are more than a control call may answer (4 MiB).
  const onVictims = async () => {
    let n = 0;
    for (let i = 0; i < node.length; i += VICTIMS_PER_CALL) {
      n += (await o.call('TaskList', { filters: { node: node.slice(i, i + VICTIMS_PER_CALL), service, desiredState: ['running'] } })).tasks.length;
    }
    return n;
  };
  const tasks = await onVictims();
  const start = Date.now();
  for (const v of victims) v.kill();
  while ((await onVictims()) > 0) {
    if (Date.now() - start > o.timeoutMs) throw new Error(`the killed nodes still had tasks desired running after ${o.timeoutMs} ms`);
    await sleep(200);
  }
  const left = Math.max(1, o.timeoutMs - (Date.now() - start));
  const { convergedAt } = await watchConvergence({ call: o.call, plan: o.plan, placedCounter: async () => 0, timeoutMs: left, everyMs: 200 });
  return { ms: convergedAt - start, tasks };
}
