import * as fs from 'node:fs';
import * as path from 'node:path';
import { Agent } from '../agent/agent';
import { LocalSession } from '../agent/local-session';
import { Allocator } from '../allocator/allocator';
import { startControlServer, type ControlServer } from '../api/server';
import { controlHandlers } from '../api/handlers';
import { EndpointPublisher } from '../endpoints/endpoint-publisher';
import { emitTaskTransitions } from '../events/task-transitions';
import { Kernel, type Plugin } from '../kernel';
import { startOrchestrators } from '../orchestrator';
import { SchedulerLoop } from '../scheduler/scheduler-loop';
import { Tokens } from '../tokens';
import { loadIdentity, newIdentity, saveIdentity, type NodeIdentity } from './identity';
import { fileLogger } from './logger';
import { dataPaths } from './paths';
import { claimPidFile, releasePidFile } from './pid-file';
import { bootstrapCluster, describeNode, registerNode } from './node-registration';
import type { ControlLoop } from '../util/control-loop';

export interface DaemonOptions {
  readonly dataDir: string;
  /** Plugins to load (the distribution's default set plus any extra). */
  readonly plugins: readonly Plugin[];
  /** Set for `swarm init`: make a new cluster with this node as its first manager. */
  readonly init?: { readonly advertiseAddr: string; readonly listenAddr: string };
  readonly version: string;
}

/** A running node daemon. */
export interface RunningDaemon {
  readonly kernel: Kernel;
  /** Resolves when the daemon has stopped. */
  readonly stopped: Promise<void>;
  /** Stops the daemon; with `leave`, removes this node's tasks and cluster state first. */
  stop(leave?: boolean): Promise<void>;
}

/** Prepares the data dir and identity: a new one for init, the stored one otherwise. */
function prepareIdentity(opts: DaemonOptions): NodeIdentity {
  const paths = dataPaths(opts.dataDir);
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (!opts.init) return loadIdentity(paths.identity);
  if (fs.existsSync(paths.identity)) {
    throw new Error(`this node is already part of a swarm (${paths.identity} exists): use "orch daemon" to start it, or "orch swarm leave --force" first`);
  }
  const id = newIdentity(opts.init.advertiseAddr, opts.init.listenAddr);
  saveIdentity(paths.identity, id);
  return id;
}

/**
 * Boots a node: loads its identity, applies the plugins, starts the store and runtimes, registers the
 * node, starts the manager's control loops and the agent, and serves the control API on the socket.
 */
export async function runDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
  const paths = dataPaths(opts.dataDir);
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  claimPidFile(paths.pid, opts.dataDir);
  const log = fileLogger(paths.log);
  let identity: NodeIdentity;
  try {
    identity = prepareIdentity(opts);
  } catch (err) {
    releasePidFile(paths.pid);
    throw err;
  }
  const kernel = new Kernel({ dataDir: opts.dataDir, nodeId: identity.nodeId, role: identity.role, advertiseAddr: identity.advertiseAddr, listenAddr: identity.listenAddr }, log);
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
    await kernel.use(opts.plugins);
    cleanup.push(() => kernel.lifecycle.stop.promise());
    await kernel.lifecycle.start.promise();
    const store = kernel.container.resolve(Tokens.ClusterStore);
    const runtimes = kernel.container.isRegistered(Tokens.Runtime, true) ? kernel.container.resolveAll(Tokens.Runtime) : [];
    const scheduler = kernel.container.resolve(Tokens.Scheduler);
    if (opts.init) await bootstrapCluster(store, identity);
    await registerNode(store, identity, await describeNode(runtimes), new Date());

    const loops: ControlLoop[] = [new Allocator(store, log), new SchedulerLoop(store, log, scheduler), new EndpointPublisher(store, log, kernel.hooks)];
    const orchestrators = startOrchestrators(store, kernel.hooks, log);
    for (const l of loops) l.start();
    cleanup.push(async () => {
      await orchestrators.stop();
      for (const l of loops) await l.stop();
    });
    cleanup.push(emitTaskTransitions(store, kernel.hooks, log));

    const agent = new Agent(new LocalSession(store, identity.nodeId), runtimes, kernel.hooks, log);
    await agent.start();
    cleanup.push(() => agent.stop());

    let stopping: Promise<void> | undefined;
    let leaving = false;
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((r) => (resolveStopped = r));
    const stop = (leave = false): Promise<void> => {
      leaving ||= leave;
      stopping ??= (async () => {
        log.info({ leave: leaving }, 'daemon stopping');
        if (leaving) await agent.removeAll();
        await shutdown();
        if (leaving) forgetCluster(opts.dataDir);
        log.info('daemon stopped');
        log.flush();
        resolveStopped();
      })();
      return stopping;
    };

    const api: ControlServer = await startControlServer(
      paths.socket,
      controlHandlers({ store, kernel, runtimes, identity, version: opts.version, stop: (leave) => void stop(leave) }),
      store,
      log,
    );
    cleanup.push(() => api.stop());
    log.info({ nodeId: identity.nodeId, dataDir: opts.dataDir, plugins: kernel.plugins.map((p) => `${p.name}@${p.version}`) }, 'daemon ready');
    return { kernel, stopped, stop };
  } catch (err) {
    log.error({ err: (err as Error).message }, 'daemon failed to start');
    await shutdown();
    log.flush();
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
