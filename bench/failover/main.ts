/**
 * bench/failover: time from a worker dying (its daemon SIGKILLed and its containers removed, as a
 * machine going away would leave things) to all of that worker's tasks running on other nodes, at
 * the default dispatcher heartbeat (5 s) and at 1 s. Each setting gets its own cluster on loopback:
 * one manager and two workers, driven through the real CLI. Prints every run and the medians.
 * Needs a built checkout (`npm run build`), a running Docker engine and the orch-test/busybox image.
 *
 *   node dist/bench/failover/main.js [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { ControlClient } from '../../core/api/client';
import { dataPaths } from '../../core/daemon/paths';
import { loadIdentity } from '../../core/daemon/identity';
import { livePid } from '../../core/daemon/pid-file';
import type { NodeState, Task } from '../../core/model/types';
import { median, parseBenchArgs } from '../stats';
import { freePort, sleep } from '../support';

const CLI = path.resolve(__dirname, '../../cli/main.js');
const IMAGE = 'orch-test/busybox';
/** Exits on SIGTERM, so stopping a task measures the engine and not the stop grace period. */
const COMMAND = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait'];
const SERVICE = 'failover';
const REPLICAS = 6;
const WORKERS = 2;
/** How often the manager is asked during a failover. */
const FAILOVER_POLL_MS = 50;
/** How often it is asked while setting up or recovering. */
const SETUP_POLL_MS = 200;
const WAIT_TIMEOUT_MS = 120_000;
const API_TIMEOUT_MS = 10_000;
const REFERENCE = 'swarm mode at defaults: about 20 s (15 s heartbeat grace + 5 s restart delay)';

/** A heartbeat setting to measure, and the failover time aimed for at it. */
interface Setting {
  readonly heartbeat: string;
  readonly goalMs: number;
}

const SETTINGS: readonly Setting[] = [
  { heartbeat: '5s', goalMs: 10_000 },
  { heartbeat: '1s', goalMs: 3_000 },
];

const docker = new Docker();

/** Polls `check` every `everyMs` until it holds; throws after `timeoutMs`. */
async function waitUntil(what: string, check: () => Promise<boolean>, everyMs = SETUP_POLL_MS, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Force-removes every container (any state) of orch node `nodeId` on the local engine. */
async function removeContainersOf(nodeId: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`orch.node.id=${nodeId}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

/** One node of the cluster: its own temp data dir, driven through the real CLI. */
class BenchNode {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-failover-'));

  /** Runs `orch ARGS…` against this node; throws with its output unless it exits 0. */
  orch(...args: string[]): string {
    return execFileSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, ORCH_DATA_DIR: this.dataDir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** This node's id, from its identity file. */
  get nodeId(): string {
    return loadIdentity(dataPaths(this.dataDir).identity).nodeId;
  }

  /** A client of this node's control API; the caller closes it. */
  client(): ControlClient {
    return new ControlClient(`unix:${dataPaths(this.dataDir).socket}`);
  }

  /** SIGKILLs the daemon, as a machine dying would. */
  kill(): void {
    const pid = livePid(dataPaths(this.dataDir).pid);
    if (pid === undefined) throw new Error(`no daemon runs for node ${this.nodeId}`);
    process.kill(pid, 'SIGKILL');
  }

  /** Leaves the swarm if the daemon answers, kills it if it still runs, removes its containers and data dir. Never throws. */
  async destroy(): Promise<void> {
    let nodeId: string | undefined;
    try {
      nodeId = this.nodeId;
      this.orch('swarm', 'leave', '--force');
    } catch {
      /* never joined, or the daemon is down */
    }
    try {
      this.kill();
    } catch {
      /* no daemon left */
    }
    if (nodeId !== undefined) await removeContainersOf(nodeId).catch(() => undefined);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** One manager and `WORKERS` workers on loopback, each listening on a free port. */
class Cluster {
  readonly manager = new BenchNode();
  readonly workers: BenchNode[] = [];
  private api?: ControlClient;

  /** Makes the swarm with dispatcher heartbeat `heartbeat`, joins the workers and waits until they are READY. */
  async start(heartbeat: string): Promise<void> {
    const managerAddr = `127.0.0.1:${await freePort()}`;
    this.manager.orch('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', managerAddr, '--dispatcher-heartbeat', heartbeat);
    this.api = this.manager.client();
    const token = this.manager.orch('swarm', 'join-token', '-q', 'worker').trim();
    for (let i = 0; i < WORKERS; i++) {
      const worker = new BenchNode();
      this.workers.push(worker);
      worker.orch('swarm', 'join', '--token', token, '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`, managerAddr);
      await this.waitReady(worker);
    }
  }

  /** The manager's control API. */
  private get control(): ControlClient {
    if (!this.api) throw new Error('the cluster is not started');
    return this.api;
  }

  /** Tasks of the service desired and observed running, as the manager sees them. */
  async running(): Promise<Task[]> {
    const filters = { service: [SERVICE], desiredState: ['running' as const], state: ['running' as const] };
    return (await this.control.call('TaskList', { filters }, API_TIMEOUT_MS)).tasks;
  }

  /** The state of node `id` as the manager records it. */
  async nodeState(id: string): Promise<NodeState> {
    return (await this.control.call('NodeInspect', { ref: id }, API_TIMEOUT_MS)).node.status.state;
  }

  /** Waits until the manager sees `node` READY. */
  async waitReady(node: BenchNode): Promise<void> {
    const id = node.nodeId;
    await waitUntil(`node ${id} to be ready`, async () => (await this.nodeState(id)) === 'ready');
  }

  /** Waits until all replicas run. */
  async waitAllRunning(): Promise<void> {
    await waitUntil(`${REPLICAS} running tasks`, async () => (await this.running()).length >= REPLICAS);
  }

  /** Tears every node down, workers first. Never throws. */
  async destroy(): Promise<void> {
    this.api?.close();
    for (const w of this.workers) await w.destroy();
    await this.manager.destroy();
  }
}

/** The worker running the most tasks of the service, with that count; throws when no worker runs any. */
function busiestWorker(cluster: Cluster, tasks: readonly Task[]): { worker: BenchNode; count: number } {
  const counts = cluster.workers.map((worker) => ({ worker, count: tasks.filter((t) => t.nodeId === worker.nodeId).length }));
  const busiest = counts.reduce((a, b) => (b.count > a.count ? b : a));
  if (busiest.count === 0) throw new Error('no worker runs a task of the service');
  return busiest;
}

/** One failover: the worker killed, how many tasks it ran, and ms from the kill to its node DOWN and to all replicas running elsewhere. */
interface Failover {
  readonly worker: BenchNode;
  readonly count: number;
  readonly downMs?: number;
  readonly ms: number;
}

/**
 * Kills the busiest worker and removes its containers, then polls the manager until all replicas run
 * and none is on the dead node, noting on the way when the manager first shows the node DOWN.
 */
async function failover(cluster: Cluster): Promise<Failover> {
  const { worker, count } = busiestWorker(cluster, await cluster.running());
  const deadId = worker.nodeId;
  let downMs: number | undefined;
  const start = Date.now();
  worker.kill();
  await removeContainersOf(deadId);
  await waitUntil(
    `the tasks of node ${deadId} to run elsewhere`,
    async () => {
      if (downMs === undefined && (await cluster.nodeState(deadId)) === 'down') downMs = Date.now() - start;
      const tasks = await cluster.running();
      return tasks.length >= REPLICAS && tasks.every((t) => t.nodeId !== deadId);
    },
    FAILOVER_POLL_MS,
  );
  return { worker, count, downMs, ms: Date.now() - start };
}

/** Restarts a killed worker's daemon and waits until it is READY and all replicas run. */
async function revive(cluster: Cluster, worker: BenchNode): Promise<void> {
  worker.orch('daemon', '--detach');
  await cluster.waitReady(worker);
  await cluster.waitAllRunning();
}

/** Measures `runs` failovers at one heartbeat setting on a fresh cluster; returns their times (ms). */
async function measure(setting: Setting, runs: number): Promise<number[]> {
  const cluster = new Cluster();
  const times: number[] = [];
  try {
    await cluster.start(setting.heartbeat);
    cluster.manager.orch('service', 'create', '--detach', '--name', SERVICE, '--replicas', String(REPLICAS), IMAGE, ...COMMAND);
    await cluster.waitAllRunning();
    for (let i = 0; i < runs; i++) {
      const { worker, count, downMs, ms } = await failover(cluster);
      times.push(ms);
      console.log(`heartbeat ${setting.heartbeat} run ${i + 1}/${runs}: killed a worker with ${count} tasks; node down after ${downMs ?? '?'} ms, all ${REPLICAS} running elsewhere after ${ms} ms`);
      if (i < runs - 1) await revive(cluster, worker);
    }
  } finally {
    await cluster.destroy();
  }
  return times;
}

async function main(): Promise<void> {
  const { runs } = parseBenchArgs(process.argv.slice(2), { runs: 3 });
  const results = new Map<Setting, number[]>();
  for (const setting of SETTINGS) results.set(setting, await measure(setting, runs));
  console.log('');
  for (const [setting, times] of results) {
    console.log(`failover, heartbeat ${setting.heartbeat}: runs ${times.join(' ')} ms, median ${median(times)} ms (goal < ${setting.goalMs})`);
  }
  console.log(REFERENCE);
}

main().catch((err) => {
  console.error(`Error: ${(err as Error).message}`);
  process.exit(1);
});
