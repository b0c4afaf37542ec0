import { runSimulation, type SimResult } from './raft/run';
import { seedPlan } from './raft/seeds';

/**
 * Deterministic simulation of whole Raft groups (see test/sim/raft/run.ts): many seeds, each a run of
 * thousands of events with crashes, partitions and membership changes, safety invariants checked after
 * every event and the client history checked for linearizability at the end.
 * `ORCH_SIM_SEED=n` replays one seed (with a long trace on failure); `ORCH_SIM_SEEDS=n` runs seeds 1..n.
 */
const plan = seedPlan(500);
const SEEDS_PER_TEST = plan.verbose ? 1 : 25;
const results: SimResult[] = [];

const batches: number[][] = [];
for (let i = 0; i < plan.seeds.length; i += SEEDS_PER_TEST) batches.push(plan.seeds.slice(i, i + SEEDS_PER_TEST));

describe('Raft groups on a simulated network and disks', () => {
  it.each(batches.map((seeds) => [seeds.length === 1 ? `${seeds[0]}` : `${seeds[0]}-${seeds[seeds.length - 1]}`, seeds] as const))(
    'seeds %s keep every invariant and stay linearizable',
    (_name, seeds) => {
      const failed: SimResult[] = [];
      for (const seed of seeds) {
        const result = runSimulation(seed, undefined, plan.verbose);
        results.push(result);
        if (result.failure) failed.push(result);
        if (plan.verbose) console.log(summarize(result));
      }
      if (failed.length > 0) {
        const others = failed.length > 1 ? `\n(also failing in this batch: seeds ${failed.slice(1).map((r) => r.seed).join(', ')})` : '';
        throw new Error(`${failed[0].failure!.message}${others}`);
      }
    },
    120_000,
  );

  it('exercised every kind of fault, snapshots and membership changes', () => {
    if (plan.seeds.length < 100) return; // a handful of seeds need not cover everything
    const faults = new Map<string, number>();
    for (const r of results) for (const [kind, n] of Object.entries(r.faults)) faults.set(kind, (faults.get(kind) ?? 0) + n);
    const kinds = ['partition', 'oneWay', 'isolateLeader', 'heal', 'crash', 'crashLeader', 'transfer', 'grow', 'shrink', 'removeLeader'];
    expect(kinds.filter((kind) => !((faults.get(kind) ?? 0) > 0))).toEqual([]);
    expect(results.reduce((n, r) => n + r.snapshotsInstalled, 0)).toBeGreaterThan(0);
    expect(results.reduce((n, r) => n + r.joinSnapshots, 0)).toBeGreaterThan(0);
    expect(results.reduce((n, r) => n + r.clients.unknown, 0)).toBeGreaterThan(0);
    expect(results.every((r) => r.clients.okWrites > 0)).toBe(true);
  });
});

function summarize(r: SimResult): string {
  return [
    `seed ${r.seed}: ${r.failure ? `FAILED (${r.failure.kind})` : 'ok'} after ${r.steps} events, t=${r.time}`,
    `  client ops: ${JSON.stringify(r.clients)}`,
    `  ended without a reply: ${r.unanswered.map(([reason, n]) => `${n}× ${reason}`).join('; ')}`,
    `  commits ${r.commits}, leaders ${r.elections}, crashes ${r.crashes}, snapshots installed ${r.snapshotsInstalled} (${r.joinSnapshots} by fresh members)`,
    `  faults: ${JSON.stringify(r.faults)}`,
  ].join('\n');
}
