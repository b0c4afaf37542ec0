import type { Logger } from 'pino';
import { Agent } from '../agent/agent';
import { LeaderLogChannel } from '../agent/leader-log-channel';
import { LeaderSession } from '../agent/leader-session';
import { LocalLogChannel } from '../agent/local-log-channel';
import { LocalSession } from '../agent/local-session';
import { ManagerDirectory } from '../agent/manager-directory';
import { RemoteSession } from '../agent/remote-session';
import { Allocator } from '../allocator/allocator';
import { forwardToLeader } from '../api/forwarding';
import { controlServiceDefinition } from '../api/grpc-json';
import { controlHandlers } from '../api/handlers';
import { forwardLogsToLeader, localServiceLogs } from '../api/logs-source';
import { controlImplementation } from '../api/server';
import { clusterCA, recordSigningRoot, registerCAService } from '../cluster/ca-service';
import { loadCredentials, saveCredentials, type NodeCredentials } from '../cluster/credentials';
import { TlsDialer } from '../cluster/dialer';
import { clusterAddress } from '../cluster/join';
import { ClusterListener } from '../cluster/listener';
import { Dispatcher } from '../dispatcher/dispatcher';
import { emitTaskTransitions } from '../events/task-transitions';
import type { Kernel } from '../kernel';
import { LogBroker } from '../logs/broker';
import { startNetworkAgent } from './network-agent';
import type { NodeDescription } from '../model/types';
import { startOrchestrators } from '../orchestrator';
import type { Scheduler } from '../scheduler/contract';
import { SchedulerLoop } from '../scheduler/scheduler-loop';
import type { ClusterStore } from '../store/contract';
import type { ReplicaReads } from '../api/threaded-control-server';
import { Tokens } from '../tokens';
import { nodeVolumes } from './volumes';
import { followConsensusSettings } from './consensus-settings';
import { bootstrapCluster, issueOwnCertificate } from './enrollment';
import type { NodeIdentity } from './identity';
import { LeaderTerm } from './leader-term';
import { describeNode, registerNode } from './node-registration';
import { RenewalTimer } from './renewal-timer';
import { roleSwitch } from './role-switch';
import { RootRotationLoop } from './root-rotation-loop';
import type { RoleServices } from './role';

export interface ManagerContext {
  readonly kernel: Kernel;
  readonly identity: NodeIdentity;
  readonly log: Logger;
  /** A new cluster: make its CA and this manager's certificate, with these settings. */
  readonly init?: { readonly dispatcherHeartbeatMs?: number; readonly certExpiryMs?: number };
  readonly version: string;
  stop(leave: boolean): void;
  /** Restarts the daemon (its role changed). */
  restart(): void;
}

/**
 * Runs the manager role. Every manager holds the store (a consensus member), serves the cluster
 * listener (CA, control API, dispatcher, and what plugins add), follows the cluster's CA and runs its
 * own agent. Only the leader runs the control loops and the dispatcher; a follower forwards control
 * calls to the leader, and its agent sessions with the leader's dispatcher.
 */
export async function startManager(ctx: ManagerContext): Promise<RoleServices> {
  const { kernel, identity, log } = ctx;
  const store = kernel.container.resolve(Tokens.ClusterStore);
  const consensus = kernel.container.resolve(Tokens.Consensus);
  const ca = kernel.container.resolve(Tokens.CertificateAuthority);
  const runtimes = kernel.container.isRegistered(Tokens.Runtime, true) ? kernel.container.resolveAll(Tokens.Runtime) : [];
  const scheduler = kernel.container.resolve(Tokens.Scheduler);
  const volumes = nodeVolumes(kernel);
  const stops: (() => Promise<void> | void)[] = [];
  let stopped = false;

  let credentials: NodeCredentials = ctx.init ? await bootstrapCluster(store, ca, identity, new Date(), ctx.init) : loadCredentials(kernel.config.dataDir);
  if (ctx.init) saveCredentials(kernel.config.dataDir, credentials);
  const dialer = new TlsDialer(() => credentials, identity.clusterId);

  const listener = new ClusterListener({
    listenAddr: identity.listenAddr,
    credentials,
    clusterId: identity.clusterId,
    // A manager that has just joined holds no state yet, so it cannot judge membership; TLS still
    // demands a certificate of this cluster.
    isMember: (nodeId) => store.view((r) => r.nodes.size === 0 || r.nodes.get(nodeId) !== undefined),
  });
  registerCAService(listener, { store, ca, log });
  const handlers = forwardToLeader(controlHandlers({ store, consensus, ca, kernel, runtimes, volumes, identity, version: ctx.version, stop: ctx.stop }), {
    consensus,
    dialer,
    selfId: identity.nodeId,
  });
  stops.push(() => handlers.close());
  const logBroker = new LogBroker();
  const logs = forwardLogsToLeader(localServiceLogs(store, logBroker), { consensus, dialer });
  stops.push(() => logs.close());
  listener.addService(controlServiceDefinition(), controlImplementation(handlers, store, log, (call) => listener.authorize(call, ['manager']), logs.open));
  const managerAddrs = () => consensus.status().members.map((m) => m.addr);
  const dispatcher = new Dispatcher({
    store,
    server: listener,
    log,
    selfNodeId: identity.nodeId,
    leaderAddr: () => consensus.status().leaderAddr,
    managers: managerAddrs,
    onSessions: (count) => kernel.hooks.dispatcher.sessions.call(count),
    logs: logBroker,
  });
  kernel.hooks.cluster.listener.call(listener, dialer);
  await listener.start();
  stops.unshift(() => listener.stop());
  stops.push(emitTaskTransitions(store, kernel.hooks, log));
  stops.push(followConsensusSettings(store, consensus));

  const description = await describeNode(runtimes, identity.engineLabels, kernel.loaded);
  const directory = new ManagerDirectory([identity.managerAddr ?? clusterAddress(identity.advertiseAddr, identity.listenAddr)]);
  const onRole = roleSwitch({
    identity,
    dataDir: kernel.config.dataDir,
    ca,
    dialer,
    managerAddr: () => consensus.status().leaderAddr ?? directory.current,
    restart: ctx.restart,
    log,
  });
  const remote = new RemoteSession({ managers: directory, dialer, description, addr: identity.advertiseAddr, log, onRole });
  const network = startNetworkAgent(kernel, identity, log);
  const agent = new Agent(new LeaderSession(consensus, new LocalSession(store, identity.nodeId), remote), runtimes, kernel.hooks, log, {
    ...network.agentOptions,
    logs: new LeaderLogChannel(consensus, new LocalLogChannel(logBroker, identity.nodeId), remote),
    volumes,
  });
  await agent.start();
  stops.push(async () => {
    await agent.stop();
    remote.close();
    await network.close();
  });

  const term = new LeaderTerm(() => leaderServices(kernel, store, scheduler, dispatcher, identity, description, log), log);
  const unwatch = consensus.watchLeadership((s) => term.follow(s.isLeader));
  term.follow(consensus.status().isLeader);
  stops.unshift(async () => {
    unwatch();
    await term.stop();
  });

  const adopt = async (next: NodeCredentials) => {
    credentials = next;
    saveCredentials(kernel.config.dataDir, credentials);
    listener.updateCredentials(credentials);
    remote.reconnect();
    await recordSigningRoot(store, identity.nodeId, ca.signingRoot(clusterCA(store).ca, credentials.certPem));
  };
  const renewal = new RenewalTimer(ca, () => credentials, log, async () => {
    await adopt(await issueOwnCertificate(ca, clusterCA(store).ca, identity, new Date()));
    return credentials;
  });
  const rotation = new RootRotationLoop(store, log, ca, {
    credentials: () => credentials,
    renew: () => renewal.renewNow(),
    // A manager renews rather than only swapping roots: its chain must lose the cross-signed root,
    // or joining nodes could not find the new root in what it presents.
    updateRoots: () => void renewal.renewNow(),
  });
  stops.unshift(() => {
    renewal.stop();
    return rotation.stop();
  });
  // A manager that has just joined starts following the CA once the cluster's state has reached it.
  void untilClusterState(store, () => stopped).then(async (ready) => {
    if (!ready) return;
    renewal.start();
    rotation.start();
    await recordSigningRoot(store, identity.nodeId, ca.signingRoot(clusterCA(store).ca, credentials.certPem)).catch((err: Error) =>
      log.warn({ err: err.message }, 'could not record the root of this manager certificate'),
    );
  });

  const replicable = store.replicable;
  return {
    handlers,
    store,
    replicaReads: replicable && consensus.watchReadLease && { source: replicable, consensus: consensus as ReplicaReads['consensus'] },
    logs: logs.open,
    agent,
    async leave() {
      await agent.removeAll();
      await network.removeAll();
    },
    async stop() {
      stopped = true;
      for (const s of stops) await s();
    },
  };
}

/**
 * Starts what only the leader runs: registers this node, starts the control loops and the
 * dispatcher; returns how to stop them when leadership ends.
 */
async function leaderServices(
  kernel: Kernel,
  store: ClusterStore,
  scheduler: Scheduler,
  dispatcher: Dispatcher,
  identity: NodeIdentity,
  description: NodeDescription,
  log: Logger,
): Promise<() => Promise<void>> {
  const loops = [new Allocator(store, log), new SchedulerLoop(store, log, scheduler)];
  const orchestrators = startOrchestrators(store, kernel.hooks, log);
  for (const l of loops) l.reportTo(kernel.hooks).start();
  dispatcher.start();
  // The leader's own agent needs no session; record it ready as the dispatcher does for the others.
  registerNode(store, identity, description, new Date()).catch((err: Error) => log.warn({ err: err.message }, 'could not record this manager as ready'));
  return async () => {
    await dispatcher.stop();
    await orchestrators.stop();
    for (const l of loops) await l.stop();
  };
}

/** Resolves true once the store holds the cluster object (a new manager catching up), false if stopped first. */
function untilClusterState(store: ClusterStore, stopped: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (stopped()) resolve(false);
      else if (store.view((r) => r.clusters.all().length > 0)) resolve(true);
      else setTimeout(check, 200).unref();
    };
    check();
  });
}
