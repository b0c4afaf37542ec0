import { networkInterfaces } from 'node:os';
import type { Command } from 'commander';
import { dataPaths } from '../../core/daemon/paths';
import { livePid } from '../../core/daemon/pid-file';
import { OrchError } from '../../core/errors';
import { advertiseAddress, listenAddress, managerAddress } from '../addresses';
import { MIN_CERT_LIFETIME_MS } from '../../core/cluster/ca-contract';
import { UsageError } from '../errors';
import { parseCount, parseDurationMs } from '../format/units';
import { parseLabels } from '../key-value';
import { dataDirOf, println, withDaemon, type CliEnv } from '../context';
import { startInBackground, waitForExit, type DaemonExtras } from '../daemon-process';
import { extrasOf, withExtrasOptions, type ExtrasFlags } from '../runtime-flag';
import { collect } from '../options';

/** How long `swarm leave` waits for the daemon to stop. */
const LEAVE_TIMEOUT_MS = 60_000;

const MANAGER_LEAVE_REFUSAL =
  'You are attempting to leave the swarm on a node that is participating as a manager. ' +
  'With --force it first leaves consensus (demoted), so the other managers keep their quorum; ' +
  'removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.';

interface InitOptions extends ExtrasFlags {
  readonly advertiseAddr?: string;
  readonly listenAddr?: string;
  readonly dispatcherHeartbeat?: string;
  readonly certExpiry?: string;
  readonly forceNewCluster?: boolean;
}

interface JoinOptions extends InitOptions {
  readonly token?: string;
  readonly label?: string[];
}

/** Help of `--metrics-addr` on `swarm init` and `swarm join`. */
const METRICS_ADDR_HELP = 'serve Prometheus metrics on IP:PORT at /metrics (e.g. 127.0.0.1:9323); the node keeps it across restarts';

/** How long `swarm ca --rotate` waits for every node to move to the new root. */
const ROTATION_TIMEOUT_MS = 5 * 60_000;

/** Shows a root rotation's progress until every node has moved and the old root is dropped. */
async function waitForRotation(env: CliEnv, status: () => Promise<{ rotation?: { renewed: number; total: number } }>): Promise<void> {
  const deadline = Date.now() + ROTATION_TIMEOUT_MS;
  let last = '';
  for (;;) {
    const { rotation } = await status();
    const line = rotation ? `rotated TLS certificates: ${rotation.renewed}/${rotation.total} nodes` : 'rotated CA certificates: done';
    if (line !== last) println(env, line);
    last = line;
    if (!rotation) return;
    if (Date.now() > deadline) throw new OrchError('unavailable', `the root rotation is not done after ${ROTATION_TIMEOUT_MS / 60_000} min: nodes that are down must come back or be removed`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The address to give joining nodes: the advertise IP with the listen port. */
function joinAddress(advertiseAddr: string, listenAddr: string): string {
  if (/:\d+$/.test(advertiseAddr) && !advertiseAddr.endsWith(']')) return advertiseAddr;
  return `${advertiseAddr}:${listenAddr.slice(listenAddr.lastIndexOf(':') + 1)}`;
}

/**
 * `swarm init --force-new-cluster`: stops this manager's daemon if it runs (it cannot do anything without
 * quorum), then restarts it as the only manager of the cluster, keeping all its state. Workers and
 * services carry on; other managers have to be removed and join again.
 */
async function forceNewCluster(cmd: Command, env: CliEnv, extras: DaemonExtras): Promise<void> {
  const dataDir = dataDirOf(cmd, env);
  const pid = livePid(dataPaths(dataDir).pid);
  if (pid !== undefined) {
    await withDaemon(cmd, env, (daemon) => daemon.call('Shutdown', { leave: false }));
    if (!(await waitForExit(pid, LEAVE_TIMEOUT_MS))) throw new OrchError('unavailable', `the daemon (pid ${pid}) did not stop within ${LEAVE_TIMEOUT_MS / 1000}s`);
  }
  const info = await startInBackground(dataDir, 'cannot restart the daemon', { kind: 'force-new-cluster' }, extras);
  println(env, `Swarm recovered: current node (${info.nodeId}) is now the only manager, with all the cluster's state.`);
  println(env, 'Remove the other managers ("orch node rm --force") and join new ones with the manager token.');
}

/** `orch swarm init|join|join-token|ca|update|leave`. */
export function registerSwarmCommands(program: Command, env: CliEnv): void {
  const swarm = program.command('swarm').description('Manage the swarm');

  withExtrasOptions(swarm.command('init'), METRICS_ADDR_HELP)
    .description("Initialize a swarm: start this node's daemon in the background as the first manager")
    .option('--advertise-addr <addr>', 'address other nodes reach this node on: IP[:PORT] or an interface name (default: the first non-internal IPv4 address)')
    .option('--listen-addr <addr>', 'address the cluster listener binds: IP[:PORT] (default: 0.0.0.0:2377)')
    .option('--dispatcher-heartbeat <duration>', 'how often nodes report to the dispatcher (default 5s)')
    .option('--cert-expiry <duration>', 'lifetime of node certificates (default 90 days, at least 30s)')
    .option('--force-new-cluster', 'on a manager of a swarm that lost quorum: restart it as the only manager, with all the state it holds')
    .action(async (opts: InitOptions, cmd: Command) => {
      const extras = extrasOf(opts, env.cwd);
      if (opts.forceNewCluster) return forceNewCluster(cmd, env, extras);
      const heartbeat = opts.dispatcherHeartbeat === undefined ? undefined : parseDurationMs(opts.dispatcherHeartbeat, '--dispatcher-heartbeat');
      const expiry = opts.certExpiry === undefined ? undefined : parseDurationMs(opts.certExpiry, '--cert-expiry');
      if (expiry !== undefined && expiry < MIN_CERT_LIFETIME_MS) throw new UsageError('--cert-expiry', `expected at least ${MIN_CERT_LIFETIME_MS / 1000}s`);
      const enrollment = {
        kind: 'init' as const,
        advertiseAddr: advertiseAddress(opts.advertiseAddr, networkInterfaces()),
        listenAddr: listenAddress(opts.listenAddr),
        ...(heartbeat !== undefined && { dispatcherHeartbeatMs: heartbeat }),
        ...(expiry !== undefined && { certExpiryMs: expiry }),
      };
      const dataDir = dataDirOf(cmd, env);
      const info = await startInBackground(dataDir, 'this node is already part of a swarm', enrollment, extras);
      println(env, `Swarm initialized: current node (${info.nodeId}) is now a manager.`);
      println(env, '');
      println(env, 'To add a worker to this swarm, run the following command:');
      println(env, '');
      await withDaemon(cmd, env, async (daemon) => {
        const { token } = await daemon.call('JoinToken', { role: 'worker' });
        println(env, `    orch swarm join --token ${token} ${joinAddress(enrollment.advertiseAddr, enrollment.listenAddr)}`);
      });
    });

  withExtrasOptions(swarm.command('join'), METRICS_ADDR_HELP)
    .description('Join a swarm as a node: start this node\'s daemon in the background, enrolled with a join token')
    .argument('<host:port>', 'a manager of the swarm (port 2377 by default)')
    .requiredOption('--token <token>', 'the join token (orch swarm join-token worker|manager on a manager)')
    .option('--advertise-addr <addr>', 'address other nodes reach this node on: IP or an interface name')
    .option('--listen-addr <addr>', 'address the node listens on: IP[:PORT] (default: 0.0.0.0:2377)')
    .option('--label <key=value>', 'engine label of this node, merged with the Docker engine\'s own (repeatable)', collect)
    .action(async (target: string, opts: JoinOptions, cmd: Command) => {
      const extras = extrasOf(opts, env.cwd);
      const enrollment = {
        kind: 'join' as const,
        token: opts.token!,
        managerAddr: managerAddress(target),
        advertiseAddr: advertiseAddress(opts.advertiseAddr, networkInterfaces()),
        listenAddr: listenAddress(opts.listenAddr),
        labels: parseLabels(opts.label ?? [], '--label'),
      };
      const info = await startInBackground(dataDirOf(cmd, env), 'this node is already part of a swarm', enrollment, extras);
      println(env, `This node joined a swarm as a ${info.role}.`);
    });

  swarm
    .command('join-token')
    .description('Print (or rotate) the token that joins a node as a worker or a manager')
    .argument('<role>', 'worker or manager')
    .option('-q, --quiet', 'print the token only')
    .option('--rotate', 'replace the token: the old one stops working')
    .action(async (role: string, opts: { quiet?: boolean; rotate?: boolean }, cmd: Command) => {
      if (role !== 'worker' && role !== 'manager') throw new UsageError('role', `expected worker or manager, got "${role}"`);
      await withDaemon(cmd, env, async (daemon) => {
        const { token } = await daemon.call('JoinToken', { role, rotate: opts.rotate === true });
        if (opts.quiet) return println(env, token);
        if (opts.rotate) println(env, `Successfully rotated ${role} join token.\n`);
        const info = await daemon.call('NodeInspect', { ref: 'self' });
        println(env, `To add a ${role} to this swarm, run the following command:\n`);
        println(env, `    orch swarm join --token ${token} ${info.node.status.addr}`);
      });
    });

  swarm
    .command('ca')
    .description('Print the root CA certificate of the swarm; --rotate moves every node to a new root')
    .option('--rotate', 'make a new root CA and move every node to it without downtime; the old root is then no longer trusted')
    .option('-d, --detach', 'with --rotate: return at once instead of waiting until every node has moved')
    .action(async (opts: { rotate?: boolean; detach?: boolean }, cmd: Command) => {
      await withDaemon(cmd, env, async (daemon) => {
        if (opts.rotate) {
          await daemon.call('CARotate', {});
          if (!opts.detach) await waitForRotation(env, () => daemon.call('CARoot', {}));
        }
        env.stdout.write((await daemon.call('CARoot', {})).rootsPem);
      });
    });

  swarm
    .command('update')
    .description('Change swarm settings')
    .option('--cert-expiry <duration>', 'lifetime of node certificates (at least 30s)')
    .option('--dispatcher-heartbeat <duration>', 'how often nodes report to the dispatcher')
    .option('--task-history-limit <n>', 'old tasks kept per slot')
    .option('--election-tick <n>', 'ticks (100 ms each) without a leader before a manager campaigns (default 10)')
    .option('--heartbeat-tick <n>', 'ticks between leader heartbeats (default 1)')
    .option('--snapshot-interval <n>', 'log entries between Raft snapshots (default 10000)')
    .action(async (opts: { certExpiry?: string; dispatcherHeartbeat?: string; taskHistoryLimit?: string; electionTick?: string; heartbeatTick?: string; snapshotInterval?: string }, cmd: Command) => {
      const req = {
        ...(opts.electionTick !== undefined && { electionTick: parseCount(opts.electionTick, '--election-tick') }),
        ...(opts.heartbeatTick !== undefined && { heartbeatTick: parseCount(opts.heartbeatTick, '--heartbeat-tick') }),
        ...(opts.snapshotInterval !== undefined && { snapshotInterval: parseCount(opts.snapshotInterval, '--snapshot-interval') }),
        ...(opts.certExpiry !== undefined && { certExpiryMs: parseDurationMs(opts.certExpiry, '--cert-expiry') }),
        ...(opts.dispatcherHeartbeat !== undefined && { dispatcherHeartbeatMs: parseDurationMs(opts.dispatcherHeartbeat, '--dispatcher-heartbeat') }),
        ...(opts.taskHistoryLimit !== undefined && { taskHistoryLimit: parseCount(opts.taskHistoryLimit, '--task-history-limit') }),
      };
      await withDaemon(cmd, env, (daemon) => daemon.call('SwarmUpdate', req));
      println(env, 'Swarm updated.');
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
        // A manager with others first gives up its place in consensus, or it would count against quorum.
        if (info.role === 'manager') {
          const { managers } = await daemon.call('NodeList', {});
          if (Object.keys(managers).length > 1) await daemon.call('NodeRole', { ref: 'self', role: 'worker', force: true });
        }
        await daemon.call('Shutdown', { leave: true });
        const pid = recordedPid ?? info.pid;
        if (!(await waitForExit(pid, LEAVE_TIMEOUT_MS))) {
          throw new OrchError('unavailable', `the daemon (pid ${pid}) did not stop within ${LEAVE_TIMEOUT_MS / 1000}s`);
        }
      });
      println(env, 'Node left the swarm.');
    });
}
