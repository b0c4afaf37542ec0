import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ControlClient } from '../../core/api/client';
import type { ControlApi, ControlMethod } from '../../core/api/contract';
import type { Task } from '../../core/model/types';

const CLI = path.resolve(__dirname, '../../dist/cli/main.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A node daemon under test: its own data dir, driven through the real CLI. */
export class TestNode {
  readonly dataDir: string;

  /**
   * @param netns a network namespace the node's commands (and so its daemon) run in
   * @param env variables set for the node's commands (and so its daemon), e.g. `DOCKER_HOST`
   */
  constructor(
    prefix = 'orch-it-',
    private readonly netns?: string,
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  }

  /** Runs `orch ARGS…` against this node; never throws. */
  orch(...args: string[]): Promise<CliResult> {
    const [file, argv] = this.netns ? ['ip', ['netns', 'exec', this.netns, process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
    return new Promise((resolve) => {
      execFile(file, argv, { env: { ...process.env, ...this.env, ORCH_DATA_DIR: this.dataDir }, timeout: 120_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      });
    });
  }

  /** Runs `orch ARGS…` and fails the test unless it exits 0. */
  async ok(...args: string[]): Promise<string> {
    const r = await this.orch(...args);
    if (r.code !== 0) throw new Error(`orch ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  /** Calls the daemon's control API directly, for exact state checks. */
  async api<M extends ControlMethod>(method: M, req: ControlApi[M]['req']): Promise<ControlApi[M]['res']> {
    const client = new ControlClient(`unix:${path.join(this.dataDir, 'orch.sock')}`);
    try {
      return await client.call(method, req, 10_000);
    } finally {
      client.close();
    }
  }

  /** Tasks of a service that are desired and observed running. */
  async running(service: string): Promise<Task[]> {
    const { tasks } = await this.api('TaskList', { filters: { service: [service], desiredState: ['running'], state: ['running'] } });
    return tasks;
  }

  get pid(): number | undefined {
    try {
      return Number.parseInt(fs.readFileSync(path.join(this.dataDir, 'orchd.pid'), 'utf8'), 10);
    } catch {
      return undefined;
    }
  }

  /** This node's id, from its identity file. */
  get nodeId(): string {
    return JSON.parse(fs.readFileSync(path.join(this.dataDir, 'node.json'), 'utf8')).nodeId;
  }

  /** Stops the daemon however it is, removes its containers and data dir. For afterAll. */
  async destroy(): Promise<void> {
    let id: string | undefined;
    try {
      id = this.nodeId;
    } catch {
      /* never initialised */
    }
    if (this.pid) await this.orch('swarm', 'leave', '--force');
    const pid = this.pid;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (id) removeContainers(id);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Containers (all states) of an orch node on the local engine, as `docker ps` rows. */
export function containersOf(nodeId: string, extraFilter: string[] = []): { id: string; name: string; state: string; task: string }[] {
  const args = ['ps', '-a', '--no-trunc', '--filter', `label=orch.node.id=${nodeId}`, ...extraFilter.flatMap((f) => ['--filter', f]), '--format', '{{.ID}}\t{{.Names}}\t{{.State}}\t{{.Label "orch.task.id"}}'];
  const out = spawnSync('docker', args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`docker ps failed: ${out.stderr}`);
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, name, state, task] = l.split('\t');
      return { id, name, state, task };
    });
}

function removeContainers(nodeId: string): void {
  const ids = containersOf(nodeId).map((c) => c.id);
  if (ids.length > 0) spawnSync('docker', ['rm', '-f', ...ids]);
}

/** Polls `check` until it returns a value (not undefined/false) or `timeoutMs` passes; returns it and how long it took. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 200): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return { value: v as T, ms: Date.now() - start };
    } catch (err) {
      last = err;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** GET http://host:port/ → body, or undefined on any failure. */
export async function httpGet(url: string, timeoutMs = 2000): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? (await res.text()).trim() : undefined;
  } catch {
    return undefined;
  }
}

/** A task command that runs until stopped and exits at once on SIGTERM (so stops do not wait out the grace period). */
export const SLEEPER = ['orch-test/busybox', 'sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait'];
/** A web server task answering with its container's hostname. */
export const WEB_SERVER = ['orch-test/busybox', 'sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'];

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A cluster on loopback: its first manager (heartbeat `heartbeat`), further managers, and workers. */
export class TestCluster {
  readonly manager = new TestNode('orch-mgr-');
  /** Managers joined with the manager token (the first manager is not among them). */
  readonly managers: TestNode[] = [];
  readonly workers: TestNode[] = [];
  managerAddr = '';

  async init(heartbeat = '1s', ...extra: string[]): Promise<void> {
    this.managerAddr = `127.0.0.1:${await freePort()}`;
    await this.manager.ok('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', this.managerAddr, '--dispatcher-heartbeat', heartbeat, ...extra);
  }

  async token(role: 'worker' | 'manager' = 'worker'): Promise<string> {
    return (await this.manager.ok('swarm', 'join-token', '-q', role)).trim();
  }

  /** Joins a new worker (advertising 127.0.0.1 unless `extra` names an address); resolves once the manager sees it READY. */
  async join(...extra: string[]): Promise<TestNode> {
    const node = new TestNode('orch-wrk-');
    this.workers.push(node);
    const advertise = extra.includes('--advertise-addr') ? [] : ['--advertise-addr', '127.0.0.1'];
    await node.ok('swarm', 'join', '--token', await this.token(), ...advertise, ...extra, this.managerAddr);
    const id = node.nodeId;
    await waitFor(`worker ${id} to be ready`, async () => (await this.manager.api('NodeInspect', { ref: id })).node.status.state === 'ready', 30_000);
    return node;
  }

  /** Joins a new manager on its own cluster port; resolves once the leader counts it reachable. */
  async joinManager(): Promise<TestNode> {
    const node = new TestNode('orch-mgr-');
    this.managers.push(node);
    const listen = `127.0.0.1:${await freePort()}`;
    await node.ok('swarm', 'join', '--token', await this.token('manager'), '--advertise-addr', '127.0.0.1', '--listen-addr', listen, this.managerAddr);
    const id = node.nodeId;
    await waitFor(`manager ${id} to be reachable`, async () => (await node.api('NodeList', {})).managers[id]?.reachability === 'reachable', 30_000);
    return node;
  }

  async destroy(): Promise<void> {
    for (const w of this.workers) await w.destroy();
    for (const m of this.managers) await m.destroy();
    await this.manager.destroy();
    // The cluster's networks, now that no container uses them.
    spawnSync('docker', ['network', 'prune', '-f', '--filter', 'label=orch.network.id']);
  }
}
