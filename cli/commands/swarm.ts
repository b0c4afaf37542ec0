import { networkInterfaces } from 'node:os';
import type { Command } from 'commander';
import { dataPaths } from '../../core/daemon/paths';
import { livePid } from '../../core/daemon/pid-file';
import { OrchError } from '../../core/errors';
import { advertiseAddress, listenAddress } from '../addresses';
import { dataDirOf, println, withDaemon, type CliEnv } from '../context';
import { startInBackground, waitForExit } from '../daemon-process';
import { collect } from '../options';
import { resolvePluginPaths } from '../plugins';

/** How long `swarm leave` waits for the daemon to stop. */
const LEAVE_TIMEOUT_MS = 60_000;

const MANAGER_LEAVE_REFUSAL =
  'You are attempting to leave the swarm on a node that is participating as a manager. ' +
  'Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.';

interface InitOptions {
  readonly advertiseAddr?: string;
  readonly listenAddr?: string;
  readonly plugin?: string[];
}

/** `orch swarm init` and `orch swarm leave`. */
export function registerSwarmCommands(program: Command, env: CliEnv): void {
  const swarm = program.command('swarm').description('Manage the swarm');

  swarm
    .command('init')
    .description("Initialize a swarm: start this node's daemon in the background as the first manager")
    .option('--advertise-addr <addr>', 'address other nodes reach this node on: IP[:PORT] or an interface name (default: the first non-internal IPv4 address)')
    .option('--listen-addr <addr>', 'address the cluster listener binds: IP[:PORT] (default: 0.0.0.0:2377)')
    .option('--plugin <path>', 'load an extra plugin module into the daemon (repeatable)', collect)
    .action(async (opts: InitOptions, cmd: Command) => {
      const init = { advertiseAddr: advertiseAddress(opts.advertiseAddr, networkInterfaces()), listenAddr: listenAddress(opts.listenAddr) };
      const plugins = resolvePluginPaths(opts.plugin ?? [], env.cwd);
      const info = await startInBackground(dataDirOf(cmd, env), 'this node is already part of a swarm', init, plugins);
      println(env, `Swarm initialized: current node (${info.nodeId}) is now a manager.`);
    });

  swarm
    .command('leave')
    .description("Leave the swarm: stop this node's tasks and daemon and delete its cluster state")
    .option('-f, --force', 'leave even as a manager (leaving as the last manager erases the swarm)')
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const recordedPid = livePid(dataPaths(dataDirOf(cmd, env)).pid);
      await withDaemon(cmd, env, async (daemon) => {
        const info = await daemon.call('Info', {});
        if (info.role === 'manager' && !opts.force) throw new OrchError('conflict', MANAGER_LEAVE_REFUSAL);
        await daemon.call('Shutdown', { leave: true });
        const pid = recordedPid ?? info.pid;
        if (!(await waitForExit(pid, LEAVE_TIMEOUT_MS))) {
          throw new OrchError('unavailable', `the daemon (pid ${pid}) did not stop within ${LEAVE_TIMEOUT_MS / 1000}s`);
        }
      });
      println(env, 'Node left the swarm.');
    });
}
