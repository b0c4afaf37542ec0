import type { PlantedBugs } from './member';
import type { Tweak } from './run';

/** Turns on planted bugs in every member, after applying `setup` (the runs in which they can show). */
export function withBugs(bugs: PlantedBugs, setup: Tweak = (o) => o): Tweak {
  return (o) => {
    const s = setup(o);
    return { ...s, cluster: { ...s.cluster, member: { ...s.cluster.member, bugs } } };
  };
}

/**
 * Runs where stale reads can show: leaders are cut off often, and there is no check-quorum, so a deposed
 * leader keeps believing it leads until it hears of a newer term. Reads dominate the workload.
 */
export const isolatedLeaders: Tweak = (o) => ({
  ...o,
  steps: 5000,
  cluster: { ...o.cluster, member: { ...o.cluster.member, raft: { ...o.cluster.member.raft, checkQuorum: false } } },
  clients: { ...o.clients, mix: { get: 6, put: 3, cas: 1 } },
  faults: { ...o.faults, weights: { ...o.faults.weights, isolateLeader: 20, crashLeader: 0, removeLeader: 0 } },
});

/**
 * Runs where lost acknowledgements can show: frequent faults, most of them short crashes. With `checkDurability` off the
 * durability invariant is silent, to show what losing acknowledged state does to Raft itself.
 */
export function frequentCrashes(checkDurability: boolean): Tweak {
  return (o) => ({
    ...o,
    steps: 8000,
    cluster: { ...o.cluster, checkDurability },
    faults: { ...o.faults, interval: [10, 100], downtime: [10, 100], weights: { ...o.faults.weights, crash: 10, crashLeader: 5 } },
  });
}
