/**
 * A single-node orch swarm on loopback, driven through the real CLI (`swarm init`, `service create`) with
 * its own temp data dir; its daemon runs in the background, as the CLI starts it.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ControlClient } from '../../core/api/client';
import { loadIdentity } from '../../core/daemon/identity';
import { dataPaths } from '../../core/daemon/paths';
import { livePid } from '../../core/daemon/pid-file';
import { freePort, waitUntil } from '../support';

const CLI = path.resolve(__dirname, '../../cli/main.js');
const API_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 120_000;
const execFileAsync = promisify(execFile);

/** Runs `docker ARGS…` and returns its stdout; throws with its stderr unless it exits 0. */
function docker(...args: string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** One orch node that is a swarm of its own; see the module comment. */
export class OrchNode {
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-ingress-'));
  private readonly paths = dataPaths(this.dataDir);

  /** Runs `orch ARGS…` against this node; rejects with its output unless it exits 0. */
  private async orch(...args: string[]): Promise<string> {
    const env = { ...process.env, ORCH_DATA_DIR: this.dataDir };
    return (await execFileAsync(process.execPath, [CLI, ...args], { env, timeout: CLI_TIMEOUT_MS })).stdout;
  }

  /** The daemon's pid while it runs. */
  get pid(): number | undefined {
    return livePid(this.paths.pid);
  }

  /** `swarm init` on loopback. */
  async init(): Promise<void> {
    await this.orch('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`);
  }

  /**
   * Creates a service of `replicas` tasks of `image` publishing `published:target` on the routing mesh,
   * and waits until that many of its tasks run.
   */
  async createService(name: string, image: string, replicas: number, published: number, target: number): Promise<void> {
    await this.orch('service', 'create', '--name', name, '--replicas', String(replicas), '--publish', `${published}:${target}`, image);
    await waitUntil(`${replicas} running tasks of service ${name}`, async () => (await this.runningTasks(name)) === replicas);
  }

  /** The IP addresses of the running containers of service `name` on this node, sorted. */
  containerAddresses(name: string): string[] {
    const nodeId = loadIdentity(this.paths.identity).nodeId;
    const ids = docker('ps', '-q', '--filter', `label=orch.node.id=${nodeId}`, '--filter', `label=orch.service.name=${name}`, '--filter', 'status=running').split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const format = '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}';
    return docker('inspect', '-f', format, ...ids).split('\n').map((l) => l.trim().split(' ')[0]).filter(Boolean).sort();
  }

  /**
   * Leaves the swarm (`swarm leave --force`) if the daemon runs, SIGKILLs it if it still does, removes
   * the node's containers that are left and its data dir. Never throws.
   */
  async destroy(): Promise<void> {
    let nodeId: string | undefined;
    try {
      nodeId = loadIdentity(this.paths.identity).nodeId;
    } catch {
      /* never initialised */
    }
    if (this.pid !== undefined) await this.orch('swarm', 'leave', '--force').catch((err: Error) => console.error(`orch swarm leave in ${this.dataDir}: ${err.message}`));
    try {
      const pid = this.pid;
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    } catch {
      /* it exited in between */
    }
    if (nodeId !== undefined) {
      try {
        const left = docker('ps', '-aq', '--filter', `label=orch.node.id=${nodeId}`).split('\n').filter(Boolean);
        if (left.length > 0) docker('rm', '-f', ...left);
      } catch (err) {
        console.error(`removing the containers of orch node ${nodeId}: ${(err as Error).message}`);
      }
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** How many tasks of service `name` are desired and observed running, from the control API. */
  private async runningTasks(name: string): Promise<number> {
    const client = new ControlClient(`unix:${this.paths.socket}`);
    try {
      const { tasks } = await client.call('TaskList', { filters: { service: [name], desiredState: ['running'], state: ['running'] } }, API_TIMEOUT_MS);
      return tasks.length;
    } finally {
      client.close();
    }
  }
}
