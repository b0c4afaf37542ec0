import { networkInterfaces } from 'node:os';
import { Option, type Command } from 'commander';
import { advertiseAddress, listenAddress, managerAddress } from '../addresses';
import { parseDurationMs } from '../format/units';
import { parseLabels } from '../key-value';
import { dataDirOf, println, type CliEnv } from '../context';
import { startInBackground, type DaemonExtras, type Enrollment } from '../daemon-process';
import { extrasOf, withExtrasOptions, type ExtrasFlags } from '../runtime-flag';
import { UsageError } from '../errors';
import { collect } from '../options';
import { PLUGIN_CONFIG_FILE, readPluginConfig } from '../plugin-config';
import { assemblePlugins, loadPlugin, resolvePluginRef } from '../plugins';
import type { Plugin } from '../../core/kernel';
import { VERSION } from '../version';
import type { DaemonOptions as NodeDaemonOptions } from '../../core/daemon/node-daemon';

interface DaemonOptions extends ExtrasFlags {
  readonly detach?: boolean;
  readonly init?: boolean;
  readonly forceNewCluster?: boolean;
  readonly joinToken?: string;
  readonly joinAddr?: string;
  readonly label?: string[];
  readonly advertiseAddr?: string;
  readonly listenAddr?: string;
  readonly dispatcherHeartbeat?: string;
  readonly certExpiry?: string;
}

/**
 * The enrollment the hidden flags describe (`--init` from `swarm init`, `--join-token` from `swarm join`),
 * checked; the address flags only apply with one of them.
 */
function enrollmentOf(opts: DaemonOptions): Enrollment | undefined {
  const addrs = () => ({ advertiseAddr: advertiseAddress(opts.advertiseAddr, networkInterfaces()), listenAddr: listenAddress(opts.listenAddr) });
  if (opts.forceNewCluster) return { kind: 'force-new-cluster' };
  if (opts.init) {
    const heartbeat = opts.dispatcherHeartbeat === undefined ? undefined : parseDurationMs(opts.dispatcherHeartbeat, '--dispatcher-heartbeat');
    const expiry = opts.certExpiry === undefined ? undefined : parseDurationMs(opts.certExpiry, '--cert-expiry');
    return { kind: 'init', ...addrs(), ...(heartbeat !== undefined && { dispatcherHeartbeatMs: heartbeat }), ...(expiry !== undefined && { certExpiryMs: expiry }) };
  }
  if (opts.joinToken !== undefined) {
    if (!opts.joinAddr) throw new UsageError('--join-addr', 'is required with --join-token');
    return { kind: 'join', token: opts.joinToken, managerAddr: managerAddress(opts.joinAddr), labels: parseLabels(opts.label ?? [], '--label'), ...addrs() };
  }
  const stray = opts.advertiseAddr !== undefined ? '--advertise-addr' : opts.listenAddr !== undefined ? '--listen-addr' : undefined;
  if (stray) throw new UsageError(stray, 'only applies when initializing or joining a swarm: use "orch swarm init" or "orch swarm join"');
  return undefined;
}

/** The daemon's enrollment options, as `runDaemon` takes them. */
function daemonEnrollment(e: Enrollment | undefined) {
  if (e?.kind === 'force-new-cluster') return { forceNewCluster: true };
  if (e?.kind === 'init') return { init: { advertiseAddr: e.advertiseAddr, listenAddr: e.listenAddr, dispatcherHeartbeatMs: e.dispatcherHeartbeatMs, certExpiryMs: e.certExpiryMs } };
  if (e?.kind === 'join') return { join: { token: e.token, managerAddr: e.managerAddr, advertiseAddr: e.advertiseAddr, listenAddr: e.listenAddr, labels: e.labels } };
  return {};
}

/**
 * The plugins this node boots with: the defaults with the runtimes asked for (`--runtime`, else `orch.json`'s
 * `runtimes`, else Docker), the data dir's `orch.json` (`plugins` resolved against the data dir, `disable`),
 * and `--plugin` files (see `assemblePlugins`).
 */
function pluginSet(dataDir: string, extras: DaemonExtras, defaults: (runtimes: readonly string[]) => Plugin[]): Plugin[] {
  const config = readPluginConfig(dataDir);
  const listed = config.plugins.map((ref) => resolvePluginRef(ref, dataDir, `${PLUGIN_CONFIG_FILE} "plugins"`));
  const runtimes = extras.runtimes ?? config.runtimes ?? ['docker'];
  return assemblePlugins(defaults(runtimes), [...new Set([...listed, ...extras.pluginFiles])].map(loadPlugin), config.disable);
}

/**
 * Runs the node daemon in this process until SIGTERM or SIGINT (or a Shutdown call) stops it.
 * The daemon's code and the default plugins load only here, so other commands start fast.
 */
async function runForeground(env: CliEnv, dataDir: string, enrollment: Enrollment | undefined, extras: DaemonExtras): Promise<void> {
  const [{ runDaemon }, { defaultPlugins }] = await Promise.all([import('../../core/daemon/node-daemon'), import('../distribution')]);
  const plugins = pluginSet(dataDir, extras, defaultPlugins);
  const { metricsAddr } = extras;
  // A daemon whose role changed stops and starts again, in its new role, from its data dir (node.json
  // keeps the metrics address).
  type StartOptions = Pick<NodeDaemonOptions, 'init' | 'join' | 'forceNewCluster' | 'metricsAddr'>;
  for (let options: StartOptions = { ...daemonEnrollment(enrollment), metricsAddr }; ; options = {}) {
    const daemon = await runDaemon({ dataDir, plugins, ...options, version: VERSION });
    println(env, `orch daemon ${VERSION} ready: node ${daemon.kernel.config.nodeId} (${daemon.kernel.config.role}), data dir ${dataDir}`);
    const stop = () => void daemon.stop();
    process.once('SIGTERM', stop).once('SIGINT', stop);
    const how = await daemon.stopped;
    process.off('SIGTERM', stop).off('SIGINT', stop);
    if (how !== 'restart') return;
  }
}

/** `orch daemon`: the node daemon, in the foreground (for a service manager) or with `--detach` in the background. */
export function registerDaemonCommand(program: Command, env: CliEnv): void {
  withExtrasOptions(program.command('daemon'), 'serve Prometheus metrics on IP:PORT at /metrics (e.g. 127.0.0.1:9323); kept for later starts')
    .description("Run this node's daemon in the foreground (as systemd expects); --detach starts it in the background")
    .option('-d, --detach', 'start the daemon in the background and return once it answers')
    .addOption(new Option('--init', 'make a new swarm with this node as its first manager (used by "swarm init")').hideHelp())
    .addOption(new Option('--force-new-cluster', 'restart this manager as the only one, with all its state (used by "swarm init --force-new-cluster")').hideHelp())
    .addOption(new Option('--join-token <token>', 'join a swarm with this token (used by "swarm join")').hideHelp())
    .addOption(new Option('--join-addr <addr>').hideHelp())
    .addOption(new Option('--label <key=value>').argParser(collect).hideHelp())
    .addOption(new Option('--advertise-addr <addr>').hideHelp())
    .addOption(new Option('--listen-addr <addr>').hideHelp())
    .addOption(new Option('--dispatcher-heartbeat <duration>').hideHelp())
    .addOption(new Option('--cert-expiry <duration>').hideHelp())
    .action(async (opts: DaemonOptions, cmd: Command) => {
      const enrollment = enrollmentOf(opts);
      const extras = extrasOf(opts, env.cwd);
      const dataDir = dataDirOf(cmd, env);
      if (!opts.detach) return runForeground(env, dataDir, enrollment, extras);
      const info = await startInBackground(dataDir, 'cannot start another daemon', enrollment, extras);
      println(env, `Daemon ready: node ${info.nodeId}, pid ${info.pid}.`);
    });
}
