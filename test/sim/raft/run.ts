import { checkLinearizable } from '../lincheck/checker';
import { kvModel } from '../lincheck/kv-model';
import { KvClients, type ClientStats } from './clients';
import { SimCluster } from './cluster';
import { InvariantViolation } from './invariants';
import { Nemesis } from './nemesis';
import { drawOptions, type SimOptions } from './options';
import { Rng } from './rng';
import { replayHint } from './seeds';

/**
 * Why a run failed: a safety property broke (`invariant`); the client history is not linearizable;
 * the group did not settle once healed, or committed no client write at all; or something threw
 * (`error`: the Raft core refusing an impossible operation, or a harness bug).
 */
export type FailureKind = 'invariant' | 'linearizability' | 'no-convergence' | 'no-progress' | 'error';

/** A failed run: what, where, and how to replay it. */
export interface SimFailure {
  readonly kind: FailureKind;
  /** The report to show: seed, step, the failure, the replay command, recent events. */
  readonly message: string;
  /** For `linearizability`: the checker's account of why. */
  readonly explanation?: string;
}

/** What a run did. */
export interface SimResult {
  readonly seed: number;
  readonly options: SimOptions;
  readonly steps: number;
  /** Simulated time at the end. */
  readonly time: number;
  readonly clients: ClientStats;
  /** Why requests got no reply, most frequent first (see KvClients.reasons). */
  readonly unanswered: readonly [string, number][];
  readonly commits: number;
  readonly elections: number;
  readonly crashes: number;
  readonly snapshotsInstalled: number;
  /** Fresh members that caught up through a snapshot (rather than entries alone). */
  readonly joinSnapshots: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly failure?: SimFailure;
}

/** Changes the options drawn for a seed (a planted bug, a fault mix). */
export type Tweak = (options: SimOptions) => SimOptions;

/**
 * Runs one seeded simulation of a whole Raft group: founds it, runs clients and faults for
 * `options.steps` events with the invariants checked after every one, then heals everything, waits
 * for the group to settle on one state, and checks the client history for linearizability.
 * Deterministic: the same seed (and tweak) gives the same run.
 */
export function runSimulation(seed: number, tweak: Tweak = (o) => o, verbose = false): SimResult {
  const rng = new Rng(seed);
  const options = tweak(drawOptions(rng.fork(), verbose));
  const cluster = new SimCluster(options.cluster, rng.fork());
  const { scheduler } = cluster;
  const clients = new KvClients(scheduler, rng.fork(), options.clients, () => cluster.running(), cluster.trace);
  const nemesis = new Nemesis(cluster, rng.fork(), options.faults);

  const result = (failure?: SimFailure): SimResult => {
    const members = [...cluster.members.values()];
    return {
      seed,
      options,
      steps: scheduler.steps,
      time: scheduler.now,
      clients: clients.stats(),
      unanswered: clients.reasons(),
      commits: cluster.invariants.commitIndex,
      elections: cluster.invariants.elections,
      crashes: members.reduce((n, m) => n + m.crashes, 0),
      snapshotsInstalled: members.reduce((n, m) => n + m.snapshotsInstalled, 0),
      joinSnapshots: members.reduce((n, m) => n + m.joinSnapshots, 0),
      faults: Object.fromEntries(nemesis.counts),
      failure,
    };
  };
  const fail = (kind: FailureKind, what: string, explanation?: string, stack?: string): SimResult =>
    result({
      kind,
      explanation,
      message: [
        `Raft simulation seed ${seed} failed (${kind}) at step ${scheduler.steps}, t=${scheduler.now}: ${what}`,
        replayHint(seed),
        `options: ${describeOptions(options)}`,
        explanation ?? '',
        stack ?? '',
        describeMembers(cluster),
        'recent events, oldest first:',
        cluster.trace.format(),
      ]
        .filter((line) => line !== '')
        .join('\n'),
    });

  try {
    // Faults and clients for `steps` events.
    cluster.found(options.members);
    clients.start();
    nemesis.start();
    while (scheduler.steps < options.steps && scheduler.step()) {
      if (scheduler.steps % options.logCheckEvery === 0) cluster.invariants.checkLogs(cluster.running());
    }
    // Heal everything and let the group settle (looking every few events: comparing states costs).
    nemesis.stop();
    clients.stop();
    cluster.healAll();
    const deadline = scheduler.steps + options.settleSteps;
    while (!(clients.idle && scheduler.steps % 16 === 0 && cluster.converged())) {
      if (scheduler.steps >= deadline || !scheduler.step()) return fail('no-convergence', `the group did not settle within ${options.settleSteps} events after healing`);
    }
    cluster.invariants.checkLogs(cluster.running());
  } catch (err) {
    const e = err as Error;
    return err instanceof InvariantViolation ? fail('invariant', e.message) : fail('error', e.message, undefined, e.stack);
  }

  // The client history.
  const stats = clients.stats();
  if (stats.okWrites === 0) return fail('no-progress', `no client write completed (${JSON.stringify(stats)})`);
  const check = checkLinearizable(kvModel, clients.history(), { timeoutMs: options.checkTimeoutMs });
  if (check.ok === 'unknown') return fail('error', `the linearizability checker gave up after ${options.checkTimeoutMs} ms`);
  if (check.ok === false) return fail('linearizability', `the client history is not linearizable (key ${check.partition})`, check.explanation);
  return result();
}

function describeOptions(o: SimOptions): string {
  const { raft, snapshotEvery, bugs } = o.cluster.member;
  const net = o.cluster.network;
  return [
    `${o.members} members`,
    `heartbeat ${raft.heartbeatTicks}/${raft.electionTicks} ticks`,
    `preVote ${raft.preVote}`,
    `checkQuorum ${raft.checkQuorum}`,
    `${raft.maxEntriesPerAppend} entries/append`,
    `inflight ${raft.maxInflight}`,
    `snapshot every ${snapshotEvery}`,
    `latency ${net.minLatency}-${net.maxLatency}`,
    `drop ${net.dropRate}`,
    `dup ${net.duplicateRate}`,
    `${o.clients.count} clients on [${o.clients.keys.join(' ')}]`,
    ...Object.entries(bugs)
      .filter(([, on]) => on)
      .map(([bug]) => `planted bug ${bug}`),
  ].join(', ');
}

function describeMembers(cluster: SimCluster): string {
  const lines = [...cluster.members.values()].map((m) => {
    if (!m.up) return `  ${m.id}: ${m.gone ? 'gone' : 'down'}`;
    const { core } = m;
    const { log } = core;
    return `  ${m.id}: ${core.role} t${core.term} leader ${core.leader ?? '-'} members [${core.members.map((x) => x.id).join(' ')}] log ${log.snapshotIndex}..${log.lastIndex} commit ${log.committed} applied ${log.applied}${m.busy ? ' (fsync pending)' : ''}`;
  });
  return ['members:', ...lines, `network cuts: ${cluster.network.describeCuts()}`].join('\n');
}
