import type { Logger } from 'pino';
import { Agent } from '../agent/agent';
import { ManagerDirectory } from '../agent/manager-directory';
import { RemoteSession } from '../agent/remote-session';
import { workerHandlers } from '../api/handlers';
import { callCA } from '../cluster/ca-client';
import { loadCredentials, saveCredentials, type NodeCredentials } from '../cluster/credentials';
import { TlsDialer } from '../cluster/dialer';
import type { Kernel } from '../kernel';
import { startNetworkAgent } from './network-agent';
import { Tokens } from '../tokens';
import { nodeVolumes } from './volumes';
import type { NodeIdentity } from './identity';
import { describeNode } from './node-registration';
import { RenewalTimer } from './renewal-timer';
import { roleSwitch } from './role-switch';
import { pollRoot } from './root-follower';
import type { RoleServices } from './role';

export interface WorkerContext {
  readonly kernel: Kernel;
  readonly identity: NodeIdentity;
  readonly log: Logger;
  readonly version: string;
  stop(leave: boolean): void;
  /** Restarts the daemon (its role changed). */
  restart(): void;
}

/**
 * Runs the worker role: the agent, in session with the leading manager over mutual TLS (following the
 * cluster's managers as they change), and certificate renewal.
 * A worker holds no cluster state; its control socket answers Info, Shutdown and the node's volume calls only.
 */
export async function startWorker(ctx: WorkerContext): Promise<RoleServices> {
  const { kernel, identity, log } = ctx;
  if (!identity.managerAddr) throw new Error('this worker has no manager address in its node.json');
  const managers = new ManagerDirectory([identity.managerAddr]);
  const ca = kernel.container.resolve(Tokens.CertificateAuthority);
  const runtimes = kernel.container.isRegistered(Tokens.Runtime, true) ? kernel.container.resolveAll(Tokens.Runtime) : [];
  let credentials: NodeCredentials = loadCredentials(kernel.config.dataDir);
  const dialer = new TlsDialer(() => credentials, identity.clusterId);

  const description = await describeNode(runtimes, identity.engineLabels, kernel.loaded);
  const onRole = roleSwitch({ identity, dataDir: kernel.config.dataDir, ca, dialer, managerAddr: () => managers.current, restart: ctx.restart, log });
  const session = new RemoteSession({ managers, dialer, description, addr: identity.advertiseAddr, log, onRole });
  const network = startNetworkAgent(kernel, identity, log);
  const volumes = nodeVolumes(kernel);
  const agent = new Agent(session, runtimes, kernel.hooks, log, { ...network.agentOptions, logs: session, volumes });
  await agent.start();

  const renewal = new RenewalTimer(ca, () => credentials, log, async () => {
    const { keyPem, csrPem } = await ca.newKeyAndCSR();
    const issued = await callCA(managers.current, dialer.managerCredentials(), 'RenewNodeCertificate', { csrPem });
    credentials = { keyPem, certPem: issued.certPem, rootsPem: issued.rootsPem };
    saveCredentials(kernel.config.dataDir, credentials);
    session.reconnect();
    return credentials;
  });
  renewal.start();
  const stopRootPoll = pollRoot({
    status: () => callCA(managers.current, dialer.managerCredentials(), 'Status', {}),
    credentials: () => credentials,
    renew: () => renewal.renewNow(),
    updateRoots: (rootsPem) => {
      credentials = { ...credentials, rootsPem };
      saveCredentials(kernel.config.dataDir, credentials);
      session.reconnect();
    },
    log,
  });

  return {
    handlers: workerHandlers(identity, ctx.version, ctx.stop, volumes),
    agent,
    async leave() {
      await agent.removeAll();
      await network.removeAll();
    },
    async stop() {
      stopRootPoll();
      renewal.stop();
      await agent.stop();
      session.close();
      await network.close();
    },
  };
}
