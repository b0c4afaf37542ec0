/**
 * bench/ingress: wrk against the same three backend containers three ways in one run:
 *  - direct: straight to the containers' addresses (one wrk per container, all at once; see DIRECT_NOTE);
 *  - mesh: through orch's routing mesh, the published port of a 3-replica service on a single-node swarm;
 *  - haproxy: through HAProxy in TCP mode (`balance leastconn`) on loopback, its default thread count.
 * The three backends are the service's own tasks: a tiny Node.js HTTP server (keep-alive) in a
 * FROM-scratch image built here. Each round measures every path for --seconds, the order rotating from
 * round to round; the table shows the medians, req/s and p99 against HAProxy's, and the goals (the mesh at
 * ≥ 0.8 × HAProxy's req/s, its p99 within 1 ms of HAProxy's).
 * Needs a built checkout (`npm run build`) and root (a Docker engine, and Debian's haproxy and wrk,
 * installed with apt-get when they are missing).
 *
 *   node dist/bench/ingress/main.js [--seconds 10] [--rounds 3] [--connections 32]
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { VERSION } from '../../cli/version';
import { parseBenchArgs } from '../stats';
import { freePort, waitUntil } from '../support';
import { BACKEND_IMAGE, BACKEND_PORT, ensureBackendImage } from './backend-image';
import { Haproxy, haproxyVersion } from './haproxy';
import { OrchNode } from './orch-node';
import { ensureDebianPackages } from './packages';
import { backendsBehind, getOnce } from './probe';
import { cpuSeconds } from './process-cpu';
import { goalLines, resultTable, summarize, type PathRun } from './report';
import { wrk, wrkSpread, wrkVersion } from './wrk';
import type { WrkResult } from './wrk-output';

const ENSURE_DOCKER = path.resolve(__dirname, '../../../scripts/ensure-docker.sh');
const SERVICE = 'ingress-bench';
const REPLICAS = 3;
/** wrk threads on the mesh and HAProxy paths (one per wrk on the direct path). */
const WRK_THREADS = 2;
const WARMUP_SECONDS = 2;

/** How the direct path is measured, and why. */
const DIRECT_NOTE = [
  'direct: one wrk per container (-t1), all three at once, the connections split between them as evenly as they go: the',
  '  same backends and connections the proxies spread, without a proxy (one container alone would be a third of the',
  '  capacity the proxies get). req/s is their sum; p99 the largest of the three, an upper bound of the p99 of all requests.',
];

/** One way to the backends. */
interface Path {
  readonly name: string;
  run(seconds: number): Promise<WrkResult>;
  /** The process relaying the path's traffic, if any. */
  readonly proxyPid?: number;
}

/** Runs `path` for `seconds`, with the CPU time its proxy process used per request. */
async function measure(path: Path, seconds: number): Promise<PathRun> {
  const pid = path.proxyPid;
  if (pid === undefined) return path.run(seconds);
  const before = cpuSeconds(pid);
  const r = await path.run(seconds);
  return { ...r, proxyCpuUs: ((cpuSeconds(pid) - before) * 1e6) / r.requests };
}

const cleanups: (() => Promise<void>)[] = [];
let cleanup: Promise<void> | undefined;

/** Runs every registered cleanup, last registered first, once. */
function cleanUp(): Promise<void> {
  cleanup ??= (async () => {
    for (const c of cleanups.reverse()) await c();
  })();
  return cleanup;
}

/** `paths` rotated by `round`, so that each path takes each place in the order in turn. */
function inTurn<T>(paths: readonly T[], round: number): T[] {
  const k = round % paths.length;
  return [...paths.slice(k), ...paths.slice(0, k)];
}

const fmt = (r: PathRun) =>
  `${r.requestsPerSecond.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(2)} ms${r.proxyCpuUs === undefined ? '' : `, proxy CPU ${r.proxyCpuUs.toFixed(1)} µs/req`}${r.errors > 0 ? `, ${r.errors} errors` : ''}`;

async function main(): Promise<void> {
  const { seconds, rounds, connections } = parseBenchArgs(process.argv.slice(2), { seconds: 10, rounds: 3, connections: 32 });
  if (connections < REPLICAS) throw new Error(`--connections must be at least ${REPLICAS} (one per backend on the direct path)`);
  execFileSync('bash', [ENSURE_DOCKER], { stdio: ['ignore', 'ignore', 'inherit'] });
  ensureDebianPackages({ haproxy: 'haproxy', wrk: 'wrk' });
  if (ensureBackendImage()) console.error(`built ${BACKEND_IMAGE}`);
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; orch ${VERSION}; ${haproxyVersion()}; ${wrkVersion()}`);
  console.log(`load average before the benchmark starts anything: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (other work on the machine skews every figure)`);

  const node = new OrchNode();
  cleanups.push(() => node.destroy());
  await node.init();
  const published = await freePort();
  await node.createService(SERVICE, BACKEND_IMAGE, REPLICAS, published, BACKEND_PORT);
  const backends = node.containerAddresses(SERVICE).map((ip) => `${ip}:${BACKEND_PORT}`);
  if (backends.length !== REPLICAS) throw new Error(`expected ${REPLICAS} running containers of ${SERVICE}, found ${backends.length}`);
  console.log(`orch: service ${SERVICE}, ${REPLICAS} tasks at ${backends.join(', ')}, published on port ${published}`);

  const haproxy = new Haproxy(backends);
  cleanups.push(() => haproxy.stop());
  await haproxy.start();
  console.log(`haproxy: tcp mode, balance leastconn, on ${haproxy.address}, nbthread ${await haproxy.threads()} (its default)`);

  const directUrls = backends.map((b) => `http://${b}/`);
  const meshUrl = `http://127.0.0.1:${published}/`;
  const haproxyUrl = `http://${haproxy.address}/`;
  await Promise.all(directUrls.map(getOnce));
  for (const url of [meshUrl, haproxyUrl]) {
    await waitUntil(`all ${REPLICAS} backends behind ${url}`, async () => (await backendsBehind(url, 2 * REPLICAS)).size === REPLICAS, 30_000);
  }

  const paths: Path[] = [
    { name: 'direct', run: (s) => wrkSpread(directUrls, connections, s) },
    { name: 'mesh', run: (s) => wrk(meshUrl, WRK_THREADS, connections, s), proxyPid: node.pid },
    { name: 'haproxy', run: (s) => wrk(haproxyUrl, WRK_THREADS, connections, s), proxyPid: haproxy.pid },
  ];
  console.log(`wrk: -t${WRK_THREADS} -c${connections} -d${seconds}s --latency on mesh and haproxy; ${rounds} round(s), order rotating; ${WARMUP_SECONDS} s warm-up per path first`);
  for (const line of DIRECT_NOTE) console.log(line);
  for (const p of paths) await p.run(WARMUP_SECONDS);

  const results = new Map<Path, PathRun[]>(paths.map((p) => [p, []]));
  for (let round = 0; round < rounds; round++) {
    for (const p of inTurn(paths, round)) {
      const r = await measure(p, seconds);
      results.get(p)!.push(r);
      console.log(`round ${round + 1}/${rounds}, ${p.name.padEnd(7)}: ${fmt(r)}`);
    }
  }

  const [direct, mesh, peer] = paths.map((p) => summarize(p.name, results.get(p)!));
  console.log(`\n${connections} connections, ${seconds} s per run, medians of ${rounds} round(s); peer = haproxy;`);
  console.log('proxy CPU: user + system CPU time of the proxy process per request (mesh: the whole orch daemon)');
  for (const line of resultTable([direct, mesh, peer], peer)) console.log(line);
  console.log('');
  for (const line of goalLines(mesh, peer)) console.log(line);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .finally(cleanUp)
  .catch((err) => {
    if (interrupted) return; // the signal handler exits once everything is cleaned up
    console.error(`Error: ${(err as Error).message}`);
    process.exit(1);
  });
