/**
 * A single-node orch swarm on loopback, driven through the real CLI (`swarm init`, `service …`) with its
 * own temp data dir; its daemon runs in the background, as the CLI starts it. Shared by the benchmarks.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ControlClient } from '../core/api/client';
import type { ControlApi, ControlMethod } from '../core/api/contract';
import { loadIdentity } from '../core/daemon/identity';
import { dataPaths } from '../core/daemon/paths';
import { livePid } from '../core/daemon/pid-file';
import { freePort } from './support';

const CLI = path.resolve(__dirname, '../cli/main.js');
const API_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 120_000;
const execFileAsync = promisify(execFile);

/** Runs `docker ARGS…` and returns its stdout; throws with its stderr unless it exits 0. */
export function docker(...args: string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** One orch node that is a swarm of its own; see the module comment. */
export class SingleNodeOrch {
  private readonly dataDir: string;
  private readonly paths: ReturnType<typeof dataPaths>;
  private api?: ControlClient;

  /** @param tempPrefix the prefix of its data dir's name under the system's temp dir. */
  constructor(tempPrefix: string) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
    this.paths = dataPaths(this.dataDir);
  }

  /** Runs `orch ARGS…` against this node; rejects with its output unless it exits 0. */
  async orch(...args: string[]): Promise<string> {
    const env = { ...process.env, ORCH_DATA_DIR: this.dataDir };
    return (await execFileAsync(process.execPath, [CLI, ...args], { env, timeout: CLI_TIMEOUT_MS })).stdout;
  }

  /** Calls one method of the daemon's control API, on a connection kept open until {@link destroy}. */
  call<M extends ControlMethod>(method: M, req: ControlApi[M]['req']): Promise<ControlApi[M]['res']> {
    this.api ??= new ControlClient(`unix:${this.paths.socket}`);
    return this.api.call(method, req, API_TIMEOUT_MS);
  }

  /** The daemon's pid while it runs. */
  get pid(): number | undefined {
    return livePid(this.paths.pid);
  }

  /** `swarm init` on loopback. */
  async init(): Promise<void> {
    await this.orch('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`);
  }

  /** This node's id, from its identity file; throws before {@link init}. */
  get nodeId(): string {
    return loadIdentity(this.paths.identity).nodeId;
  }

  /**
   * Leaves the swarm (`swarm leave --force`) if the daemon runs, SIGKILLs it if it still does, removes
   * the node's containers that are left and its data dir. Never throws.
   */
  async destroy(): Promise<void> {
    this.api?.close();
    this.api = undefined;
    let nodeId: string | undefined;
    try {
      nodeId = this.nodeId;
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
}
