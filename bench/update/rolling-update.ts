/**
 * One run of the rolling-update benchmark on one peer: create the service and wait until every replica
 * runs (not timed), time the update, then remove the service and wait until its containers are gone.
 */
import { performance } from 'node:perf_hooks';
import { sleep, waitUntil } from '../support';
import { countContainers } from './containers';
import type { UpdatePeer } from './peer';
import type { UpdateRun } from './report';

/** Replicas of the service, replaced `PARALLELISM` at a time with no delay between batches. */
export const REPLICAS = 20;
export const PARALLELISM = 2;
const IMAGE = 'orch-test/busybox';
/** Exits on SIGTERM, so replacing a task measures the system and not the stop grace period. */
const COMMAND = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait'];
/** How often the update's progress is looked at while it is timed. */
const POLL_MS = 100;
/** How often it is looked at while setting up or cleaning up. */
const SETUP_POLL_MS = 200;
const SETUP_TIMEOUT_MS = 120_000;
const UPDATE_TIMEOUT_MS = 300_000;

/** Issues `docker|orch service update --env-add env` and polls until every replica runs it and the update completed. */
async function timeUpdate(peer: UpdatePeer, service: string, env: string): Promise<UpdateRun> {
  const start = performance.now();
  const elapsed = () => Math.round(performance.now() - start);
  await peer.cli(['service', 'update', ...peer.serviceFlags, '--env-add', env, service]);
  const commandMs = elapsed();
  let tasksMs: number | undefined;
  let completedMs: number | undefined;
  for (;;) {
    const p = await peer.progress(service);
    const now = elapsed();
    if (tasksMs === undefined && p.runningCurrent === REPLICAS) tasksMs = now;
    if (completedMs === undefined && p.completed) completedMs = now;
    if (tasksMs !== undefined && completedMs !== undefined) return { commandMs, tasksMs, completedMs };
    if (now > UPDATE_TIMEOUT_MS) throw new Error(`${peer.name}: the update of ${service} did not finish within ${UPDATE_TIMEOUT_MS} ms (${p.runningCurrent}/${REPLICAS} tasks on the new spec, completed: ${p.completed})`);
    await sleep(POLL_MS);
  }
}

/** One run on `peer` with a new service named `service`; see the module comment. */
export async function rollingUpdate(peer: UpdatePeer, service: string, env: string): Promise<UpdateRun> {
  const flags = ['--name', service, '--replicas', String(REPLICAS), '--update-parallelism', String(PARALLELISM), '--update-delay', '0s'];
  await peer.cli(['service', 'create', ...peer.serviceFlags, ...flags, IMAGE, ...COMMAND]);
  await waitUntil(`${peer.name}: ${REPLICAS} running tasks of ${service}`, async () => (await peer.progress(service)).runningCurrent === REPLICAS, SETUP_TIMEOUT_MS, SETUP_POLL_MS);
  const run = await timeUpdate(peer, service, env);
  await peer.cli(['service', 'rm', service]);
  await waitUntil(`${peer.name}: the containers of ${service} to go`, async () => (await countContainers(peer.serviceLabel, service)) === 0, SETUP_TIMEOUT_MS, SETUP_POLL_MS);
  return run;
}
