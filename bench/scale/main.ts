/**
 * bench/scale: the control plane at scale. Three manager daemons (real processes, `--runtime process`,
 * drained so that tasks go to simulated nodes only) and N simulated nodes in this process (core/testing/sim:
 * the real agent over mutual-TLS gRPC, the `sim` runtime); services totalling M tasks, some constrained to
 * node or engine labels. Measures the time until all run (and the end-to-end rate from the last create),
 * scheduler placements per second, `service ls` and `service create` latency under the load, manager RSS,
 * the leader's Raft WAL and snapshot size, then kills K nodes and measures the time until their tasks run
 * elsewhere. Needs a built checkout (`npm run build`); no Docker engine.
 *
 *   node dist/bench/scale/main.js [--nodes 1000] [--tasks 100000] [--services 100] [--kill 100] [--heartbeat-ms 1000] [--election-tick 30]
 *
 * With ORCH_SCALE_CPU_PROF_DIR set, every manager writes a CPU profile there (`CPU.<pid>.cpuprofile`) when
 * the run stops it; `node dist/bench/scale/hot-spots.js FILE` lists its hot spots. ORCH_SCALE_DAEMON_NODE_OPTIONS
 * is passed to the managers as NODE_OPTIONS (e.g. `--max-old-space-size=4096`). With ORCH_SCALE_KEEP=1 the
 * managers' data dirs (logs, Raft) are kept and named at the end.
 */
import * as path from 'node:path';
import { ScaleCluster } from './cluster';
import { startScaleFleet } from './fleet';
import { dataPaths } from '../../core/daemon/paths';
import { startLatencyProbe, type Latencies } from './latency-probes';
import { createServices, watchConvergence, type Watched } from './load';
import { parseScaleOptions } from './options';
import { planServices } from './plan';
import { raftBytes, rssOf } from './probes';
import { killAndReschedule } from './reschedule';
import { activeRate, metricValue } from './metrics-text';
import { formatReport, type ScaleResult } from './report';
import { waitUntil } from '../support';

const CLI = path.resolve(__dirname, '../../cli/main.js');
const CONVERGE_TIMEOUT_MS = 15 * 60_000;

async function run(cluster: ScaleCluster, argv: readonly string[]): Promise<ScaleResult> {
  const options = parseScaleOptions(argv);
  const leader = cluster.leader;
  const call = leader.call.bind(leader) as typeof leader.call;
  const counter = async (name: string) => metricValue(await leader.metrics(), name) ?? 0;

  await call('SwarmUpdate', { electionTick: options.electionTick });
  const termBefore = await counter('orch_raft_term');
  console.log(`joining ${options.nodes} simulated nodes…`);
  const joinStart = Date.now();
  const fleet = await startScaleFleet({ count: options.nodes, token: await cluster.workerToken(), managerAddr: leader.listenAddr, call });
  try {
    await waitUntil('every simulated node to be ready', async () => (await call('NodeList', {})).nodes.filter((n) => n.status.state === 'ready').length >= options.nodes + 3, 300_000, 500);
    const joinMs = Date.now() - joinStart;

    const plan = planServices(options.tasks, options.services);
    console.log(`creating ${options.services} services, ${options.tasks} tasks…`);
    const placedBefore = await counter('orch_scheduler_tasks_placed_total');
    const decidingBefore = await counter('orch_scheduler_decision_duration_seconds_sum');
    const createStart = Date.now();
    // `service ls` and `service create` latencies come from a process of their own, as a user's CLI would see them.
    let latency: Latencies;
    const probe = startLatencyProbe(dataPaths(leader.dataDir).socket, 'probe');
    const watching = watchConvergence({ call, plan, placedCounter: () => counter('orch_scheduler_tasks_placed_total'), timeoutMs: CONVERGE_TIMEOUT_MS });
    watching.catch(() => undefined); // awaited below, once the creates are done
    let lastCreate: number;
    let watched: Watched;
    try {
      await createServices(call, plan);
      lastCreate = Date.now();
      watched = await watching;
    } finally {
      latency = await probe.stop();
    }
    const placed = (await counter('orch_scheduler_tasks_placed_total')) - placedBefore;
    const deciding = (await counter('orch_scheduler_decision_duration_seconds_sum')) - decidingBefore;
    const rssBytes = cluster.managers.map((m) => rssOf(m.pid));
    const raft = raftBytes(leader.dataDir);

    console.log(`killing ${options.kill} simulated nodes…`);
    const errors = [...watched.errors, ...latency.errors];
    const rescheduled = await killAndReschedule({ call, fleet, count: options.kill, plan, timeoutMs: CONVERGE_TIMEOUT_MS }).catch((err: Error) => {
      errors.push(`rescheduling: ${err.message}`);
      return { ms: Number.NaN, tasks: 0 };
    });
    const elections = (await counter('orch_raft_term')) - termBefore;
    return {
      options,
      joinMs,
      createMs: lastCreate - createStart,
      convergeMs: Math.max(0, watched.convergedAt - lastCreate),
      placementsPerSecond: activeRate(watched.placed),
      decisionsPerSecond: deciding > 0 ? placed / deciding : 0,
      listMs: latency.listMs,
      createLatencyMs: latency.createMs,
      rssBytes,
      walBytes: raft.wal,
      snapshotBytes: raft.snapshots,
      benchRssBytes: process.memoryUsage().rss,
      rescheduleMs: rescheduled.ms,
      rescheduledTasks: rescheduled.tasks,
      errors,
      elections,
    };
  } finally {
    fleet.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { heartbeatMs } = parseScaleOptions(argv);
  const profDir = process.env.ORCH_SCALE_CPU_PROF_DIR;
  const nodeOptions = [process.env.ORCH_SCALE_DAEMON_NODE_OPTIONS, profDir && `--require ${path.join(__dirname, 'cpu-profile.js')}`].filter(Boolean).join(' ');
  // The managers must not find a Docker engine: they run no task, and the bench must not need one.
  const env = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', ...(nodeOptions && { NODE_OPTIONS: nodeOptions }), ...(profDir && { ORCH_CPU_PROF_DIR: path.resolve(profDir) }) };
  console.log(`starting 3 managers (dispatcher heartbeat ${heartbeatMs} ms)…`);
  const cluster = await ScaleCluster.start(CLI, heartbeatMs, env);
  const stop = () => void cluster.destroy().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    console.log(`managers: ${cluster.managers.map((m) => `pid ${m.pid} at ${m.listenAddr}`).join(', ')} (leader first)`);
    const result = await run(cluster, argv);
    console.log('');
    for (const line of formatReport(result)) console.log(line);
  } finally {
    process.off('SIGINT', stop);
    const keep = process.env.ORCH_SCALE_KEEP === '1';
    await cluster.destroy(keep);
    if (keep) console.log(`kept the managers' data dirs: ${cluster.managers.map((m) => m.dataDir).join(' ')}`);
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(`Error: ${(err as Error).message}`);
  process.exit(1);
});
