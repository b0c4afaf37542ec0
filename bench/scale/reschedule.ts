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
 * Whether killed nodes still hold tasks desired running, asked a group of nodes a call. `any` asks the
 * groups in order and stops at the first that holds one, dropping the groups found empty on the way; once
 * none is left it asks every group again, since a node killed but not yet DOWN may be given a task after
 * its group was found empty. Asking for every killed node's tasks at each poll cost the leader and the
 * bench a good part of a core while the run was timing them.
 */
export class HeldTasks {
  private holding: readonly (readonly string[])[];

  constructor(
    private readonly groups: readonly (readonly string[])[],
    private readonly count: (nodes: readonly string[]) => Promise<number>,
  ) {
    this.holding = groups;
  }

  async any(): Promise<boolean> {
    while (this.holding.length > 0) {
      if ((await this.count(this.holding[0])) > 0) return true;
      this.holding = this.holding.slice(1);
    }
    for (let i = 0; i < this.groups.length; i++) {
      if ((await this.count(this.groups[i])) > 0) {
        this.holding = this.groups.slice(i);
        return true;
      }
    }
    return false;
  }
}

/** `items` in groups of `size` (the last may be smaller). Pure. */
export function groupsOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
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
  const service = o.plan.map((p) => p.name);
  // A few nodes a call: the tasks of 100 nodes at once are more than a control call may answer (4 MiB).
  const groups = groupsOf(victims.map((v) => v.nodeId), VICTIMS_PER_CALL);
  const count = async (node: readonly string[]) => (await o.call('TaskList', { filters: { node: [...node], service, desiredState: ['running'] } })).tasks.length;
  let tasks = 0;
  for (const g of groups) tasks += await count(g);
  const held = new HeldTasks(groups, count);
  const start = Date.now();
  for (const v of victims) v.kill();
  while (await held.any()) {
    if (Date.now() - start > o.timeoutMs) throw new Error(`the killed nodes still had tasks desired running after ${o.timeoutMs} ms`);
    await sleep(200);
  }
  const left = Math.max(1, o.timeoutMs - (Date.now() - start));
  const { convergedAt } = await watchConvergence({ call: o.call, plan: o.plan, placedCounter: async () => 0, timeoutMs: left, everyMs: 200 });
  return { ms: convergedAt - start, tasks };
}
