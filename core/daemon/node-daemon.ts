import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino, { type Logger } from 'pino';
import { controlImplementation, startControlServer } from '../api/server';
import { startThreadedControlServer } from '../api/threaded-control-server';
import { saveCredentials } from '../cluster/credentials';
import { joinCluster } from '../cluster/join';
import { Kernel, type KernelConfig, type Plugin } from '../kernel';
import { MemoryState } from '../store/memory-state';
import { Tokens } from '../tokens';
import { loadIdentity, newIdentity, saveIdentity, type NodeIdentity } from './identity';
import { fileLogger } from './logger';
import { startManager } from './manager-role';
import { dataPaths } from './paths';
import { claimPidFile, releasePidFile } from './pid-file';
import type { RoleServices } from './role';
import { startWorker } from './worker-role';

export interface DaemonOptions {
  readonly dataDir: string;
  /** Plugins to load (the distribution's default set plus any extra). */
  readonly plugins: readonly Plugin[];
  /** `swarm init`: make a new cluster with this node as its first manager. */
  readonly init?: { readonly advertiseAddr: string; readonly listenAddr: string; readonly dispatcherHeartbeatMs?: number; readonly certExpiryMs?: number };
  /** `swarm init --force-new-cluster`: restart this existing manager as the only one, keeping all state. */
  readonly forceNewCluster?: boolean;
  /** `swarm join`: join the cluster of `managerAddr` with a join token. */
  readonly join?: {
    readonly token: string;
    readonly managerAddr: string;
    readonly advertiseAddr: string;
    readonly listenAddr: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  /**
   * Serve Prometheus metrics on this `host:port` (`--metrics-addr`). Recorded in `node.json`, so later
   * starts keep it; unset, the node keeps what it recorded.
   */
  readonly metricsAddr?: string;
  readonly version: string;
}

/** A running node daemon. */
export interface RunningDaemon {
  readonly kernel: Kernel;
  /** Resolves when the daemon has stopped: `restart` when it should start again (its role changed). */
  readonly stopped: Promise<'stopped' | 'restart'>;
  /** Stops the daemon; with `leave`, removes this node's tasks and cluster state first. */
  stop(leave?: boolean): Promise<void>;
}

function kernelConfig(dataDir: string, id: NodeIdentity, opts: DaemonOptions): KernelConfig {
  return {
    dataDir,
    nodeId: id.nodeId,
    role: id.role,
    advertiseAddr: id.advertiseAddr,
    listenAddr: id.listenAddr,
    newCluster: opts.init !== undefined,
    forceNewCluster: opts.forceNewCluster,
    managerAddr: id.managerAddr,
    metricsAddr: id.metricsAddr,
  };
}

/**
 * Joins a cluster. The node has no id before it joins, so the CA provider comes from a kernel with the
 * same plugins and a provisional config; nothing of that kernel is started.
 */
async function enrollByJoin(opts: DaemonOptions, join: NonNullable<DaemonOptions['join']>): Promise<NodeIdentity> {
  const provisional = new Kernel({ dataDir: opts.dataDir, nodeId: '', role: 'worker', advertiseAddr: join.advertiseAddr, listenAddr: join.listenAddr }, pino({ enabled: false }));
  await provisional.use(opts.plugins);
  const ca = provisional.container.resolve(Tokens.CertificateAuthority);
  const { issued, credentials } = await joinCluster(ca, { token: join.token, managerAddr: join.managerAddr, addr: join.advertiseAddr, hostname: os.hostname() });
  const identity: NodeIdentity = {
    nodeId: issued.nodeId,
    clusterId: issued.clusterId,
    role: issued.role,
    advertiseAddr: join.advertiseAddr,
    listenAddr: join.listenAddr,
    managerAddr: join.managerAddr,
    engineLabels: join.labels,
    ...(opts.metricsAddr !== undefined && { metricsAddr: opts.metricsAddr }),
  };
  saveCredentials(opts.dataDir, credentials);
  saveIdentity(dataPaths(opts.dataDir).identity, identity);
  return identity;
}

/** This node's identity: new for init, obtained by joining, or the stored one; with `metricsAddr` when given. */
async function enroll(opts: DaemonOptions): Promise<NodeIdentity> {
  const paths = dataPaths(opts.dataDir);
  const settings = opts.metricsAddr !== undefined ? { metricsAddr: opts.metricsAddr } : {};
  if (!opts.init && !opts.join) return { ...loadIdentity(paths.identity), ...settings };
  if (fs.existsSync(paths.identity)) {
    throw new Error(`this node is already part of a swarm (${paths.identity} exists): use "orch daemon" to start it, or "orch swarm leave --force" first`);
  }
  if (opts.join) return enrollByJoin(opts, opts.join);
  return { ...newIdentity(opts.init!.advertiseAddr, opts.init!.listenAddr), ...settings };
}

/**
 * Boots a node: claims the data dir, enrolls (init, join, or the stored identity), applies the plugins,
 * starts the lifecycle and the node's role (manager or worker), and serves the control API on its socket.
 */
export async function runDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
  const paths = dataPaths(opts.dataDir);
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  claimPidFile(paths.pid, opts.dataDir);
  const log = fileLogger(paths.log);
  const cleanup: (() => Promise<void> | void)[] = [];
  const shutdown = async () => {
    for (const fn of cleanup.reverse()) {
      try {
        await fn();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'shutdown step failed');
      }
    }
    releasePidFile(paths.pid);
  };
  try {
    const identity = await enroll(opts);
    if (opts.forceNewCluster && identity.role !== 'manager') throw new Error('--force-new-cluster recovers a manager, and this node is a worker');
    const kernel = new Kernel(kernelConfig(opts.dataDir, identity, opts), log);
    await kernel.use(opts.plugins);
    cleanup.push(() => kernel.lifecycle.stop.promise());
    await kernel.lifecycle.start.promise();
    // A stored node's setting given on this start is recorded once the daemon runs with it (before its role
    // may record a new role); a new node's identity is recorded below, once its role has started.
    if (!opts.init && !opts.join && opts.metricsAddr !== undefined) saveIdentity(paths.identity, identity);

    let stopping: Promise<void> | undefined;
    let leaving = false;
    let restarting = false;
    let resolveStopped!: (how: 'stopped' | 'restart') => void;
    const stopped = new Promise<'stopped' | 'restart'>((r) => (resolveStopped = r));
    let role: RoleServices | undefined;
    const stop = (leave = false): Promise<void> => {
      leaving ||= leave;
      stopping ??= (async () => {
        log.info({ leave: leaving }, 'daemon stopping');
        if (leaving) await role?.leave();
        await shutdown();
        if (leaving) forgetCluster(opts.dataDir);
        log.info({ restart: restarting }, 'daemon stopped');
        resolveStopped(restarting ? 'restart' : 'stopped');
      })();
      return stopping;
    };
    const restart = () => {
      if (stopping) return; // already on its way out (leaving, say): do not come back
      restarting = true;
      void stop();
    };
    const roleContext = { kernel, identity, log: log as Logger, version: opts.version, stop: (leave: boolean) => void stop(leave), restart };
    role = identity.role === 'manager' ? await startManager({ ...roleContext, init: opts.init }) : await startWorker(roleContext);
    cleanup.push(() => role!.stop());
    if (opts.init) saveIdentity(paths.identity, identity);

    const implementation = controlImplementation(role.handlers, role.store ?? new MemoryState(), log, undefined, role.logs);
    const api = role.replicaReads
      ? await startThreadedControlServer({ socket: paths.socket, upstream: paths.upstreamSocket }, implementation, role.replicaReads, log)
      : await startControlServer(paths.socket, implementation);
    cleanup.push(() => api.stop());
    log.info({ nodeId: identity.nodeId, role: identity.role, dataDir: opts.dataDir, plugins: kernel.plugins.map((p) => `${p.name}@${p.version}`) }, 'daemon ready');
    return { kernel, stopped, stop };
  } catch (err) {
    log.error({ err: (err as Error).message }, 'daemon failed to start');
    await shutdown();
    throw err;
  }
}

/** Deletes a node's cluster state after it left, keeping only its log. */
function forgetCluster(dataDir: string): void {
  const keep = new Set(['orchd.log']);
  for (const entry of fs.readdirSync(dataDir)) {
    if (!keep.has(entry)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
}
