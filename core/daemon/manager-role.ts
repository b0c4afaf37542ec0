import type { Logger } from 'pino';
import { Agent } from '../agent/agent';
import { LocalSession } from '../agent/local-session';
import { Allocator } from '../allocator/allocator';
import { controlServiceDefinition } from '../api/grpc-json';
import { controlHandlers } from '../api/handlers';
import { controlImplementation, type ControlHandlers } from '../api/server';
import { clusterCA, recordSigningRoot, registerCAService } from '../cluster/ca-service';
import { loadCredentials, saveCredentials, type NodeCredentials } from '../cluster/credentials';
import { ClusterListener } from '../cluster/listener';
import { Dispatcher } from '../dispatcher/dispatcher';
import { EndpointPublisher } from '../endpoints/endpoint-publisher';
import { emitTaskTransitions } from '../events/task-transitions';
import type { Kernel } from '../kernel';
import { startOrchestrators } from '../orchestrator';
import { SchedulerLoop } from '../scheduler/scheduler-loop';
import { Tokens } from '../tokens';
import type { ControlLoop } from '../util/control-loop';
import { bootstrapCluster, issueOwnCertificate } from './enrollment';
import type { NodeIdentity } from './identity';
import { describeNode, registerNode } from './node-registration';
import { RenewalTimer } from './renewal-timer';
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
}

/**
 * Runs the manager role: the store, the CA, the control loops, the cluster listener (join, dispatcher,
 * remote control for managers only) and this node's own agent.
 */
export async function startManager(ctx: ManagerContext): Promise<RoleServices> {
  const { kernel, identity, log } = ctx;
  const store = kernel.container.resolve(Tokens.ClusterStore);
  const ca = kernel.container.resolve(Tokens.CertificateAuthority);
  const runtimes = kernel.container.isRegistered(Tokens.Runtime, true) ? kernel.container.resolveAll(Tokens.Runtime) : [];
  const scheduler = kernel.container.resolve(Tokens.Scheduler);
  const stops: (() => Promise<void> | void)[] = [];

  let credentials: NodeCredentials = ctx.init ? await bootstrapCluster(store, ca, identity, new Date(), ctx.init) : loadCredentials(kernel.config.dataDir);
  if (ctx.init) saveCredentials(kernel.config.dataDir, credentials);
  await registerNode(store, identity, await describeNode(runtimes, identity.engineLabels), new Date());

  const loops: ControlLoop[] = [new Allocator(store, log), new SchedulerLoop(store, log, scheduler), new EndpointPublisher(store, log, kernel.hooks)];
  const orchestrators = startOrchestrators(store, kernel.hooks, log);
  for (const l of loops) l.start();
  stops.push(async () => {
    await orchestrators.stop();
    for (const l of loops) await l.stop();
  });
  stops.push(emitTaskTransitions(store, kernel.hooks, log));

  const agent = new Agent(new LocalSession(store, identity.nodeId), runtimes, kernel.hooks, log);
  await agent.start();
  stops.push(() => agent.stop());

  const handlers: ControlHandlers = controlHandlers({ store, ca, kernel, runtimes, identity, version: ctx.version, stop: ctx.stop });
  const listener = new ClusterListener({
    listenAddr: identity.listenAddr,
    credentials,
    clusterId: identity.clusterId,
    isMember: (nodeId) => store.view((r) => r.nodes.get(nodeId) !== undefined),
  });
  registerCAService(listener, { store, ca, log });
  listener.addService(controlServiceDefinition(), controlImplementation(handlers, store, log, (call) => listener.authorize(call, ['manager'])));
  const dispatcher = new Dispatcher({ store, server: listener, log, selfNodeId: identity.nodeId });
  dispatcher.start();
  stops.push(() => dispatcher.stop());
  await listener.start();
  stops.unshift(() => listener.stop());

  const adopt = async (next: NodeCredentials) => {
    credentials = next;
    saveCredentials(kernel.config.dataDir, credentials);
    listener.updateCredentials(credentials);
    await recordSigningRoot(store, identity.nodeId, ca.signingRoot(clusterCA(store).ca, credentials.certPem));
  };
  await recordSigningRoot(store, identity.nodeId, ca.signingRoot(clusterCA(store).ca, credentials.certPem));
  const renewal = new RenewalTimer(ca, () => credentials, log, async () => {
    await adopt(await issueOwnCertificate(ca, clusterCA(store).ca, identity, new Date()));
    return credentials;
  });
  renewal.start();
  stops.unshift(() => renewal.stop());
  const rotation = new RootRotationLoop(store, log, ca, {
    credentials: () => credentials,
    renew: () => renewal.renewNow(),
    // A manager renews rather than only swapping roots: its chain must lose the cross-signed root,
    // or joining nodes could not find the new root in what it presents.
    updateRoots: () => void renewal.renewNow(),
  });
  rotation.start();
  stops.unshift(() => rotation.stop());

  return {
    handlers,
    store,
    agent,
    async stop() {
      for (const s of stops) await s();
    },
  };
}
