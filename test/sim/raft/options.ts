import type { ClientSettings } from './clients';
import type { ClusterSettings } from './cluster';
import type { FaultSettings } from './nemesis';
import type { Rng } from './rng';

/** Everything that shapes one simulated run. */
export interface SimOptions {
  /** Founding members (3 or 5). */
  readonly members: number;
  /** Events to run while faults are injected and clients are busy. */
  readonly steps: number;
  /** Most events to wait, once everything is healed, for the group to settle. */
  readonly settleSteps: number;
  /** Compare whole logs pairwise every this many events (the incremental checks run after every event). */
  readonly logCheckEvery: number;
  /** Give up checking linearizability after this long (real milliseconds). */
  readonly checkTimeoutMs: number;
  readonly cluster: ClusterSettings;
  readonly clients: ClientSettings;
  readonly faults: FaultSettings;
}

/**
 * The options of a run, drawn from `rng`: group size, Raft settings, network profile, snapshot
 * frequency and workload vary from seed to seed so that many seeds cover many shapes of run.
 */
export function drawOptions(rng: Rng, verbose = false): SimOptions {
  const tickPeriod = 10;
  return {
    members: rng.pick([3, 5]),
    steps: 15_000,
    settleSteps: 30_000,
    logCheckEvery: 250,
    checkTimeoutMs: 30_000,
    cluster: {
      tickPeriod,
      clockSkew: rng.pick([1, 3]),
      leaveDelay: rng.pick([3, 30, 300]) * tickPeriod,
      traceSize: verbose ? 2000 : 60,
      checkDurability: true,
      network: rng.chance(1 / 6)
        ? // stormy: slow, lossy and repetitive, yet fast enough for elections to succeed
          { minLatency: 1, maxLatency: rng.pick([25, 40]), slowRate: 0.05, slowLatency: 100, dropRate: rng.pick([0.2, 0.3]), duplicateRate: rng.pick([0.1, 0.2]) }
        : {
            minLatency: 1,
            maxLatency: rng.pick([4, 8, 15]),
            slowRate: rng.pick([0, 0.02]),
            slowLatency: 100,
            dropRate: rng.pick([0, 0.01, 0.05, 0.1]),
            duplicateRate: rng.pick([0, 0.02, 0.05]),
          },
      member: {
        raft: {
          electionTicks: 10,
          heartbeatTicks: rng.pick([1, 2, 3]),
          preVote: rng.chance(0.8),
          checkQuorum: rng.chance(0.8),
          maxEntriesPerAppend: rng.pick([1, 3, 64]),
          maxInflight: rng.pick([1, 4, 256]),
        },
        fsyncLatency: [1, rng.pick([2, 6])],
        slowFsync: { rate: rng.pick([0, 0.01]), max: 30 * tickPeriod },
        snapshotEvery: rng.pick([4, 16, 64]),
        bugs: {},
      },
    },
    clients: {
      count: rng.int(2, 5),
      keys: rng.pick([['x'], ['x', 'y'], ['x', 'y', 'z']]),
      keyGeneration: 150 * tickPeriod,
      timeout: 40 * tickPeriod,
      think: [0, 3 * tickPeriod],
      backoff: 2 * tickPeriod,
      mix: { get: 4, put: 3, cas: 3 },
    },
    faults: {
      interval: [3 * tickPeriod, 25 * tickPeriod],
      downtime: [2 * tickPeriod, 60 * tickPeriod],
      minMembers: 3,
      maxMembers: 5,
      weights: {
        partition: 3,
        oneWay: 2,
        isolateLeader: 2,
        heal: 6,
        crash: 3,
        crashLeader: 1,
        transfer: 1,
        grow: 2,
        shrink: 1.5,
        removeLeader: 0.5,
      },
    },
  };
}
