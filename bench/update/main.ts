/**
 * bench/update: a rolling update of a 20-replica service (`--update-parallelism 2 --update-delay 0s`,
 * stop-first, the default 5 s monitor), orch against Docker's own swarm mode on the same engine. Both run
 * the same SIGTERM-aware busybox tasks and change the same thing (`--env-add V=<round>`). Runs alternate
 * (orch, swarm, orch, swarm, …); each creates a fresh service and waits until its 20 tasks run (not
 * timed), then times from issuing `service update --detach` until (a) all 20 running tasks are on the new
 * spec and (b) the update status says completed, polling each system's API every 100 ms; then removes the
 * service and waits until its containers are gone. Prints every run, the medians and the ratios
 * orch/swarm against the goal (≤ 0.7).
 * Needs a built checkout (`npm run build`) and a Docker engine that is not in a swarm (the benchmark makes
 * its own and leaves it); builds the orch-test/busybox image when it is missing.
 *
 *   node dist/bench/update/main.js [--rounds 3]
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { VERSION } from '../../cli/version';
import { parseBenchArgs } from '../stats';
import { OrchPeer } from './orch-peer';
import type { UpdatePeer } from './peer';
import { goalLines, resultTable, runLine, summarize, type UpdateRun } from './report';
import { PARALLELISM, REPLICAS, rollingUpdate } from './rolling-update';
import { SwarmPeer } from './swarm-peer';

const BUILD_TEST_IMAGE = path.resolve(__dirname, '../../../scripts/build-test-image.sh');

const peers: UpdatePeer[] = [];
let cleanup: Promise<void> | undefined;

/** Destroys every peer started so far, once. */
function destroyAll(): Promise<void> {
  cleanup ??= (async () => {
    for (const p of peers) await p.destroy();
  })();
  return cleanup;
}

async function main(): Promise<void> {
  const { rounds } = parseBenchArgs(process.argv.slice(2), { rounds: 3 });
  execFileSync('bash', [BUILD_TEST_IMAGE], { stdio: ['ignore', 'ignore', 'inherit'] });
  const engine = (await new Docker().version()).Version;
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; orch ${VERSION}; Docker engine ${engine}`);
  console.log(`load average before the benchmark starts anything: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (other work on the machine skews every figure)`);

  const orchPeer = new OrchPeer();
  const swarmPeer = new SwarmPeer();
  peers.push(orchPeer, swarmPeer);
  // Swarm mode first: it refuses an engine already in a swarm before orch starts anything.
  await swarmPeer.start();
  await orchPeer.start();
  const pair = [orchPeer, swarmPeer] as const;
  console.log(`${REPLICAS} replicas, update parallelism ${PARALLELISM}, delay 0s, stop-first; ${rounds} round(s), orch and swarm alternating; ms from issuing the update`);
  const runs = new Map<UpdatePeer, UpdateRun[]>(pair.map((p) => [p, []]));
  for (let round = 0; round < rounds; round++) {
    for (const p of pair) {
      const r = await rollingUpdate(p, `update-bench-${round + 1}`, `V=${round + 1}`);
      runs.get(p)!.push(r);
      console.log(runLine(round + 1, rounds, p.name, r));
    }
  }

  const [orch, swarm] = pair.map((p) => summarize(p.name, runs.get(p)!));
  console.log(`\nmedians of ${rounds} round(s); command: until \`service update --detach\` returned; all on new spec: until all ${REPLICAS} running tasks are on the new spec; completed: until the update status says completed (both monitor new tasks 5 s)`);
  for (const line of resultTable(orch, swarm)) console.log(line);
  console.log('');
  for (const line of goalLines(orch, swarm)) console.log(line);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: cleaning up…`);
    void destroyAll().finally(() => process.exit(130));
  });
}

main()
  .finally(destroyAll)
  .catch((err) => {
    if (interrupted) return; // the signal handler exits once everything is cleaned up
    console.error(`Error: ${(err as Error).message}`);
    process.exit(1);
  });
