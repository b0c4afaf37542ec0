/**
 * bench/raft: orch's replicated control plane against etcd 3.4, three members each on loopback, both
 * with their default durability (fsync on), driven from this one process:
 *  - small writes: 1, 16 and 64 clients writing back to back for --seconds each; orch: ServiceCreate of a
 *    service with no replicas, to the leader; etcd: a gRPC Put of a value as large as that request, to
 *    the leader. Throughput, p50 and p99 latency, and the orch/etcd ratios.
 *  - leader failover: one client writing every ~10 ms through the other members while the leader is
 *    SIGKILLed; ms from the kill to the first write that succeeds after it, --runs times per system.
 * Needs a built checkout (`npm run build`) and a Docker engine (orch's managers run on it); builds the
 * orch-test/busybox image and installs Debian's etcd-server (apt-get) when they are missing.
 *
 *   node dist/bench/raft/main.js [--seconds 10] [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { VERSION } from '../../cli/version';
import { parseBenchArgs } from '../stats';
import type { RaftCluster } from './cluster';
import { EtcdCluster, ensureEtcd } from './etcd-cluster';
import { failover, type FailoverRun } from './failover';
import { OrchCluster, serviceCreateRequest } from './orch-cluster';
import { failoverTable, writesTable } from './report';
import { smallWrites, type WorkloadResult } from './workload';

const BUILD_TEST_IMAGE = path.resolve(__dirname, '../../../scripts/build-test-image.sh');
const CLIENT_COUNTS = [1, 16, 64];
const WARMUP_SECONDS = 1;

const clusters: RaftCluster[] = [];
let cleanup: Promise<void> | undefined;

/** Destroys every cluster started so far, once. */
function destroyAll(): Promise<void> {
  cleanup ??= Promise.all(clusters.map((c) => c.destroy())).then(() => undefined);
  return cleanup;
}

/** Both clusters in turn, the order flipped on odd `i` so that neither always runs first. */
function inTurn(pair: readonly [RaftCluster, RaftCluster], i: number): readonly RaftCluster[] {
  return i % 2 === 0 ? pair : [pair[1], pair[0]];
}

async function main(): Promise<void> {
  const { seconds, runs } = parseBenchArgs(process.argv.slice(2), { seconds: 10, runs: 3 });
  execFileSync('bash', [BUILD_TEST_IMAGE], { stdio: ['ignore', 'ignore', 'inherit'] });
  const etcdVersion = ensureEtcd();
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; orch ${VERSION}; ${etcdVersion}`);

  const requestBytes = Buffer.byteLength(JSON.stringify(serviceCreateRequest('w64-63-99999')));
  const orch = new OrchCluster();
  const etcd = new EtcdCluster(requestBytes);
  const pair = [orch, etcd] as const;
  clusters.push(...pair);
  for (const c of pair) {
    await c.start();
    console.log(`${c.name}: 3 members up`);
    await smallWrites(c, 1, WARMUP_SECONDS, 'warm');
  }

  const writes = new Map<RaftCluster, WorkloadResult[]>(pair.map((c) => [c, []]));
  for (const [i, clients] of CLIENT_COUNTS.entries()) {
    for (const c of inTurn(pair, i)) {
      const r = await smallWrites(c, clients, seconds, `w${clients}`);
      writes.get(c)!.push(r);
      console.log(`small writes, ${String(clients).padStart(2)} clients, ${c.name}: ${r.perSecond.toFixed(1)} writes/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms`);
    }
  }

  const failovers = new Map<RaftCluster, FailoverRun[]>(pair.map((c) => [c, []]));
  for (let i = 0; i < runs; i++) {
    for (const c of inTurn(pair, i)) {
      const r = await failover(c, `f${i}`);
      failovers.get(c)!.push(r);
      console.log(`failover run ${i + 1}/${runs}, ${c.name}: first write through ${r.ms} ms after the kill (${r.failed} failed)`);
    }
  }

  console.log(`\nsmall writes, ${seconds} s per client count; orch: ServiceCreate of a ${requestBytes}-byte request; etcd: Put of a ${requestBytes}-byte value; both to the leader`);
  console.log('(nothing is deleted between client counts: each starts with the services or keys written before it)');
  for (const line of writesTable(writes.get(orch)!, writes.get(etcd)!)) console.log(line);
  console.log(`\nleader failover: SIGKILL the leader while one client writes every ~10 ms through the other members; ms to the first write that succeeds after the kill`);
  for (const line of failoverTable(failovers.get(orch)!, failovers.get(etcd)!)) console.log(line);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the clusters…`);
    void destroyAll().finally(() => process.exit(130));
  });
}

main()
  .finally(destroyAll)
  .catch((err) => {
    if (interrupted) return; // the signal handler exits once the clusters are gone
    console.error(`Error: ${(err as Error).message}`);
    process.exit(1);
  });
