import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ControlClient } from '../../core/api/client';
import type { ControlApi, ControlMethod } from '../../core/api/contract';
import { loadIdentity } from '../../core/daemon/identity';
import { dataPaths } from '../../core/daemon/paths';
import { livePid } from '../../core/daemon/pid-file';
import { sleep } from '../support';

const execFileAsync = promisify(execFile);
const CLI_TIMEOUT_MS = 120_000;
const API_TIMEOUT_MS = 60_000;
/** How long a SIGTERMed daemon may take to stop (and write a CPU profile) before it is SIGKILLed. */
const STOP_WAIT_MS = 30_000;

/**
 * One manager daemon of a scale run: its own temp data dir, started through the real CLI (the daemon runs
 * in the background, as `orch swarm init|join` starts it), with the process runtime so it needs no Docker
 * engine. `env` reaches the CLI and so the daemon (e.g. `NODE_OPTIONS=--require …/cpu-profile.js`).
 */
export class ScaleManager {
  readonly dataDir: string;
  readonly listenAddr: string;
  readonly metricsAddr: string;
  private api?: ControlClient;

  constructor(
    readonly cli: string,
    ports: { readonly listen: number; readonly metrics: number },
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-scale-'));
    this.listenAddr = `127.0.0.1:${ports.listen}`;
    this.metricsAddr = `127.0.0.1:${ports.metrics}`;
  }

  /** Runs `orch ARGS…` against this node; rejects with its output unless it exits 0. */
  async orch(...args: string[]): Promise<string> {
    const env = { ...process.env, ...this.env, ORCH_DATA_DIR: this.dataDir };
    return (await execFileAsync(process.execPath, [this.cli, ...args], { env, timeout: CLI_TIMEOUT_MS })).stdout;
  }

  /** `swarm init` (heartbeatMs) or, given a manager token and address, `swarm join`; on loopback. */
  async start(heartbeatMs: number, join?: { readonly token: string; readonly addr: string }): Promise<void> {
    const common = ['--advertise-addr', '127.0.0.1', '--listen-addr', this.listenAddr, '--runtime', 'process', '--metrics-addr', this.metricsAddr];
    if (join) await this.orch('swarm', 'join', '--token', join.token, ...common, join.addr);
    else await this.orch('swarm', 'init', ...common, '--dispatcher-heartbeat', `${heartbeatMs}ms`);
  }

  /** Calls the daemon's control API on a connection kept until {@link destroy}. */
  call<M extends ControlMethod>(method: M, req: ControlApi[M]['req']): Promise<ControlApi[M]['res']> {
    this.api ??= new ControlClient(`unix:${dataPaths(this.dataDir).socket}`);
    return this.api.call(method, req, API_TIMEOUT_MS);
  }

  get nodeId(): string {
    return loadIdentity(dataPaths(this.dataDir).identity).nodeId;
  }

  get pid(): number | undefined {
    return livePid(dataPaths(this.dataDir).pid);
  }

  /** The daemon's metrics page. */
  async metrics(): Promise<string> {
    const res = await fetch(`http://${this.metricsAddr}/metrics`, { signal: AbortSignal.timeout(10_000) });
    return res.text();
  }

  /**
   * Stops the daemon with SIGTERM (so `--cpu-prof` writes its profile), SIGKILLs it if it has not stopped
   * within STOP_WAIT_MS, and removes the data dir unless `keep`. Never throws.
   */
  async destroy(keep = false): Promise<void> {
    this.api?.close();
    this.api = undefined;
    const pid = this.pid;
    if (pid !== undefined) {
      signal(pid, 'SIGTERM');
      const start = Date.now();
      while (alive(pid) && Date.now() - start < STOP_WAIT_MS) await sleep(100);
      if (alive(pid)) signal(pid, 'SIGKILL');
    }
    if (!keep) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
