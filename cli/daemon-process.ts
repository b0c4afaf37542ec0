import { rememberStartOptions } from './plugin-config';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlClient } from '../core/api/client';
import type { DaemonInfo } from '../core/api/contract';
import { dataPaths } from '../core/daemon/paths';
import { livePid } from '../core/daemon/pid-file';
import { OrchError } from '../core/errors';

/** How long a new daemon may take to answer, and how often to ask. */
const READY_TIMEOUT_MS = 30_000;
const POLL_MS = 200;
/** Lines of the daemon's output shown when it fails to start. */
const TAIL_LINES = 20;

/** The file a detached daemon's stdout and stderr go to. */
function daemonOutputFile(dataDir: string): string {
  return path.join(dataDir, 'orchd.out');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The CLI's main file, which a detached daemon runs. */
function cliMainFile(): string {
  return require.main?.filename ?? process.argv[1];
}

/** Refuses with `refusal` when a daemon already runs for `dataDir`. */
function assertNoDaemon(dataDir: string, refusal: string): void {
  const pid = livePid(dataPaths(dataDir).pid);
  if (pid !== undefined) throw new OrchError('conflict', `${refusal} (a daemon is running for ${dataDir}, pid ${pid})`);
}

/** Asks the daemon on `socket` for its Info once; undefined when nothing answers yet. */
async function probe(socket: string): Promise<DaemonInfo | undefined> {
  const client = new ControlClient(`unix:${socket}`);
  try {
    return await client.call('Info', {}, 1000);
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

/** The last lines written to `file` from byte `from` on. */
function tail(file: string, from: number): string {
  const text = fs.readFileSync(file).subarray(from).toString('utf8').trimEnd();
  return text.split('\n').slice(-TAIL_LINES).join('\n');
}

/**
 * Node flags of a daemon: a larger young generation, so that the short-lived objects of a busy manager (a
 * commit's changes, its messages) die young instead of being promoted and collected by slow full GCs.
 */
const DAEMON_NODE_FLAGS = ['--max-semi-space-size=32'];

/**
 * Starts `orch daemon <args>` in the background, as `swarm init` and `daemon --detach` do: detached
 * from this process, its output appended to `orchd.out` in the data dir, and returns once it answers
 * on its socket.
 * The child runs `node <DAEMON_NODE_FLAGS> <this CLI's main file> --data-dir <dataDir> daemon <args>`.
 * @throws OrchError with the tail of its output when the daemon exits first, or when it does not
 * answer within 30 s.
 */
async function startDetachedDaemon(dataDir: string, args: readonly string[]): Promise<DaemonInfo> {
  const paths = dataPaths(dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const outFile = daemonOutputFile(dataDir);
  const out = fs.openSync(outFile, 'a', 0o600);
  const from = fs.fstatSync(out).size;
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, cliMainFile(), '--data-dir', dataDir, 'daemon', ...args], { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `exit code ${code}`));
  child.once('error', (err) => (exit = err.message));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const info = await probe(paths.socket);
    if (info !== undefined && info.pid === child.pid) return info;
    if (exit !== undefined) throw new OrchError('internal', `the daemon stopped (${exit}) before it was ready:\n${tail(outFile, from)}`);
    await sleep(POLL_MS);
  }
  throw new OrchError('unavailable', `the daemon (pid ${child.pid}) did not answer within ${READY_TIMEOUT_MS / 1000}s; see ${outFile}`);
}

/** How a node becomes a member when its daemon first starts: a new swarm, or joining one. All checked. */
export type Enrollment =
  | { readonly kind: 'force-new-cluster' }
  | { readonly kind: 'init'; readonly advertiseAddr: string; readonly listenAddr: string; readonly dispatcherHeartbeatMs?: number; readonly certExpiryMs?: number }
  | {
      readonly kind: 'join';
      readonly token: string;
      readonly managerAddr: string;
      readonly advertiseAddr: string;
      readonly listenAddr: string;
      readonly labels: Readonly<Record<string, string>>;
    };

/** The hidden `orch daemon` flags that carry an enrollment to a detached daemon. */
export function enrollmentFlags(e: Enrollment | undefined): string[] {
  if (!e) return [];
  if (e.kind === 'force-new-cluster') return ['--force-new-cluster'];
  const addrs = ['--advertise-addr', e.advertiseAddr, '--listen-addr', e.listenAddr];
  if (e.kind === 'init') {
    const heartbeat = e.dispatcherHeartbeatMs !== undefined ? ['--dispatcher-heartbeat', `${e.dispatcherHeartbeatMs}ms`] : [];
    const expiry = e.certExpiryMs !== undefined ? ['--cert-expiry', `${e.certExpiryMs}ms`] : [];
    return ['--init', ...addrs, ...heartbeat, ...expiry];
  }
  return ['--join-token', e.token, '--join-addr', e.managerAddr, ...addrs, ...Object.entries(e.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`])];
}

/** What a daemon start was given besides its enrollment: `--plugin`, `--metrics-addr`, `--runtime`, checked. */
export interface DaemonExtras {
  /** Plugin module files, absolute. */
  readonly pluginFiles: readonly string[];
  readonly metricsAddr?: string;
  /** Runtime names, the default first. */
  readonly runtimes?: readonly string[];
}

/** The `orch daemon` flags that pass `extras` on. */
function extrasFlags(x: DaemonExtras): string[] {
  return [
    ...(x.metricsAddr !== undefined ? ['--metrics-addr', x.metricsAddr] : []),
    ...x.pluginFiles.flatMap((f) => ['--plugin', f]),
    ...(x.runtimes ? ['--runtime', x.runtimes.join(',')] : []),
  ];
}

/**
 * Starts this node's daemon in the background (`swarm init`, `swarm join`, `daemon --detach`) with an
 * enrollment when given, and the extras (plugin files and runtimes are kept in the data dir's `orch.json`
 * once it runs, the metrics address in `node.json`, for later starts).
 * @param refusal what to say when a daemon already runs for the data dir.
 */
export async function startInBackground(dataDir: string, refusal: string, enrollment: Enrollment | undefined, extras: DaemonExtras): Promise<DaemonInfo> {
  assertNoDaemon(dataDir, refusal);
  const info = await startDetachedDaemon(dataDir, [...enrollmentFlags(enrollment), ...extrasFlags(extras)]);
  rememberStartOptions(dataDir, extras.pluginFiles, extras.runtimes);
  return info;
}

/** True while process `pid` exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until process `pid` has exited. @returns false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}
