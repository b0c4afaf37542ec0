/**
 * Three orch managers on loopback, started through the real CLI (`swarm init`, then two `swarm join`s
 * with the manager token), each with its own temp data dir and orch's default durability (fsync on).
 * Writes are ServiceCreate calls for services with no replicas, so no container ever starts.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ControlClient } from '../../core/api/client';
import type { ControlApi } from '../../core/api/contract';
import { loadIdentity } from '../../core/daemon/identity';
import { dataPaths } from '../../core/daemon/paths';
import { livePid } from '../../core/daemon/pid-file';
import { parseServiceSpec } from '../../core/model/service-spec';
import { rotatingWriter, WRITE_TIMEOUT_MS, type RaftCluster, type Writer } from './cluster';
import { freePort, waitUntil } from '../support';

const CLI = path.resolve(__dirname, '../../cli/main.js');
/** A small image present on this machine: ServiceCreate refuses an image the leader cannot find. */
const IMAGE = 'orch-test/busybox';
const API_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 120_000;
const execFileAsync = promisify(execFile);

/** The ServiceCreate request for a service named `name` with no replicas, in full as the CLI sends it. */
export function serviceCreateRequest(name: string): ControlApi['ServiceCreate']['req'] {
  return { spec: parseServiceSpec({ name, mode: { replicated: { replicas: 0 } }, task: { container: { image: IMAGE } } }) };
}

/** One manager: a data dir, driven through the real CLI. */
class Manager {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-raft-'));
  readonly paths = dataPaths(this.dataDir);

  /** Runs `orch ARGS…` against this node; rejects with its output unless it exits 0. */
  async orch(...args: string[]): Promise<string> {
    const env = { ...process.env, ORCH_DATA_DIR: this.dataDir };
    return (await execFileAsync(process.execPath, [CLI, ...args], { env, timeout: CLI_TIMEOUT_MS })).stdout;
  }

  /** This node's id, from its identity file. */
  get nodeId(): string {
    return loadIdentity(this.paths.identity).nodeId;
  }

  /** The daemon's pid while it runs. */
  get pid(): number | undefined {
    return livePid(this.paths.pid);
  }

  /** A client of this node's control API; the caller closes it. */
  client(): ControlClient {
    return new ControlClient(`unix:${this.paths.socket}`);
  }

  /** Leaves the swarm (`swarm leave --force`) if the daemon runs, SIGKILLs it if it still does, removes the data dir. Never throws. */
  async destroy(): Promise<void> {
    if (this.pid !== undefined) await this.orch('swarm', 'leave', '--force').catch((err: Error) => console.error(`orch swarm leave in ${this.dataDir}: ${err.message}`));
    try {
      const pid = this.pid;
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    } catch {
      /* it exited in between */
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Three orch managers on loopback; see the module comment. */
export class OrchCluster implements RaftCluster {
  readonly name = 'orch';
  private readonly managers = [new Manager(), new Manager(), new Manager()];
  private destroyed?: Promise<void>;

  async start(): Promise<void> {
    const [first, ...others] = this.managers;
    const addr = `127.0.0.1:${await freePort()}`;
    await first.orch('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', addr);
    const token = (await first.orch('swarm', 'join-token', '-q', 'manager')).trim();
    for (const m of others) {
      await m.orch('swarm', 'join', '--token', token, '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`, addr);
    }
    await this.waitHealthy();
  }

  async leader(): Promise<number> {
    const { managers } = await this.nodeList();
    const i = this.managers.findIndex((m) => managers[m.nodeId]?.leader);
    if (i < 0) throw new Error('no orch manager leads');
    return i;
  }

  writer(members: readonly number[], tag: string): Writer {
    const clients = members.map((i) => this.managers[i].client());
    return rotatingWriter(
      clients.length,
      async (at, seq) => void (await clients[at].call('ServiceCreate', serviceCreateRequest(`${tag}-${seq}`), WRITE_TIMEOUT_MS)),
      () => clients.forEach((c) => c.close()),
    );
  }

  kill(member: number): void {
    const pid = this.managers[member].pid;
    if (pid === undefined) throw new Error(`orch manager ${member} does not run`);
    process.kill(pid, 'SIGKILL');
  }

  async restart(member: number): Promise<void> {
    await this.managers[member].orch('daemon', '--detach');
    await this.waitHealthy();
  }

  /** Followers leave first and the leader last, on its own: a leader leaving a swarm of two managers can time out and stay up as a worker. */
  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      const leader = await this.leader().catch(() => undefined);
      for (const [i, m] of this.managers.entries()) if (i !== leader) await m.destroy();
      if (leader !== undefined) await this.managers[leader].destroy();
    })();
    return this.destroyed;
  }

  /** The cluster's NodeList, asked of the first manager whose daemon runs (a follower forwards it to the leader). */
  private async nodeList(): Promise<ControlApi['NodeList']['res']> {
    const m = this.managers.find((x) => x.pid !== undefined);
    if (!m) throw new Error('no orch manager runs');
    const client = m.client();
    try {
      return await client.call('NodeList', {}, API_TIMEOUT_MS);
    } finally {
      client.close();
    }
  }

  /** Waits until NodeList shows all three managers reachable and exactly one of them leading. */
  private async waitHealthy(): Promise<void> {
    await waitUntil('three reachable orch managers and a leader', async () => {
      const { managers } = await this.nodeList();
      const status = this.managers.map((m) => managers[m.nodeId]);
      return status.every((s) => s?.reachability === 'reachable') && status.filter((s) => s?.leader).length === 1;
    });
  }
}
