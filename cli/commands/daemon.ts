import { networkInterfaces } from 'node:os';
import { Option, type Command } from 'commander';
import { advertiseAddress, listenAddress } from '../addresses';
import { dataDirOf, println, type CliEnv } from '../context';
import { startInBackground, type InitAddresses } from '../daemon-process';
import { UsageError } from '../errors';
import { collect } from '../options';
import { loadPlugin, resolvePluginPaths } from '../plugins';
import { VERSION } from '../version';

interface DaemonOptions {
  readonly detach?: boolean;
  readonly plugin?: string[];
  readonly init?: boolean;
  readonly advertiseAddr?: string;
  readonly listenAddr?: string;
}

/** With `--init`, the new cluster's addresses (checked); `--advertise-addr` and `--listen-addr` need `--init`. */
function initAddresses(opts: DaemonOptions): InitAddresses | undefined {
  if (!opts.init) {
    const stray = opts.advertiseAddr !== undefined ? '--advertise-addr' : opts.listenAddr !== undefined ? '--listen-addr' : undefined;
    if (stray) throw new UsageError(stray, 'only applies when initializing a swarm: use "orch swarm init"');
    return undefined;
  }
  return { advertiseAddr: advertiseAddress(opts.advertiseAddr, networkInterfaces()), listenAddr: listenAddress(opts.listenAddr) };
}

/**
 * Runs the node daemon in this process until SIGTERM or SIGINT (or a Shutdown call) stops it.
 * The daemon's code and the default plugins load only here, so other commands start fast.
 */
async function runForeground(env: CliEnv, dataDir: string, pluginFiles: readonly string[], init: InitAddresses | undefined): Promise<void> {
  const [{ runDaemon }, { defaultPlugins }] = await Promise.all([import('../../core/daemon/node-daemon'), import('../distribution')]);
  const plugins = [...defaultPlugins(), ...pluginFiles.map(loadPlugin)];
  const daemon = await runDaemon({ dataDir, plugins, init, version: VERSION });
  println(env, `orch daemon ${VERSION} ready: node ${daemon.kernel.config.nodeId}, data dir ${dataDir}`);
  const stop = () => void daemon.stop();
  process.once('SIGTERM', stop).once('SIGINT', stop);
  await daemon.stopped;
  process.off('SIGTERM', stop).off('SIGINT', stop);
}

/** `orch daemon`: the node daemon, in the foreground (for a service manager) or with `--detach` in the background. */
export function registerDaemonCommand(program: Command, env: CliEnv): void {
  program
    .command('daemon')
    .description("Run this node's daemon in the foreground (as systemd expects); --detach starts it in the background")
    .option('-d, --detach', 'start the daemon in the background and return once it answers')
    .option('--plugin <path>', 'load an extra plugin module (repeatable)', collect)
    .addOption(new Option('--init', 'make a new swarm with this node as its first manager (used by "swarm init")').hideHelp())
    .addOption(new Option('--advertise-addr <addr>').hideHelp())
    .addOption(new Option('--listen-addr <addr>').hideHelp())
    .action(async (opts: DaemonOptions, cmd: Command) => {
      const init = initAddresses(opts);
      const plugins = resolvePluginPaths(opts.plugin ?? [], env.cwd);
      const dataDir = dataDirOf(cmd, env);
      if (!opts.detach) return runForeground(env, dataDir, plugins, init);
      const info = await startInBackground(dataDir, 'cannot start another daemon', init, plugins);
      println(env, `Daemon ready: node ${info.nodeId}, pid ${info.pid}.`);
    });
}
