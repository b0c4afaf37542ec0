import type { Logger } from 'pino';
import { Agent } from '../../agent/agent';
import { ManagerDirectory } from '../../agent/manager-directory';
import { RemoteSession } from '../../agent/remote-session';
import type { CertificateAuthority } from '../../cluster/ca-contract';
import type { NodeCredentials } from '../../cluster/credentials';
import { TlsDialer } from '../../cluster/dialer';
import { joinCluster } from '../../cluster/join';
import { describeNode } from '../../daemon/node-registration';
import type { Hooks } from '../../hooks';
import type { Labels } from '../../model/types';
import type { Runtime } from '../../runtime/contract';
import { KillableSession } from './killable-session';

/** What one simulated node needs to join a cluster. */
export interface SimNodeOptions {
  /** A worker join token of the cluster. */
  readonly token: string;
  /** The manager to join through (`host:port` of its cluster listener). */
  readonly managerAddr: string;
  /** The hostname the node joins with. */
  readonly hostname: string;
  /** Engine labels, as `swarm join --label` gives them (merged over the runtime's own). */
  readonly engineLabels?: Labels;
  /** The node's advertise address. Default `127.0.0.1`. */
  readonly addr?: string;
  /** Runs the node's tasks, e.g. a `SimRuntime`; it must be this node's alone. */
  readonly runtime: Runtime & { halt?(): void };
  /** The CA provider used to make the node's key and CSR (see `sharedKeyCA`). */
  readonly ca: CertificateAuthority;
  /** Hooks the agent calls (`runtime.select`, `network.attach` …): may be shared by many simulated nodes. */
  readonly hooks: Hooks;
  readonly log: Logger;
}

/**
 * A node that lives in this process and nowhere else: it enrolls with a join token as `orch swarm join`
 * does (so it gets its own node id and certificate from the cluster CA), then runs the real worker agent
 * — `Agent` over a `RemoteSession` to the leader on mutual-TLS gRPC (Session stream, heartbeats,
 * `UpdateTaskStatus` batches, following redirects through a `ManagerDirectory`) — on its own runtime.
 * It serves no log subscriptions, renews no certificate and follows no root rotation.
 */
export class SimNode {
  private constructor(
    readonly nodeId: string,
    readonly hostname: string,
    readonly runtime: SimNodeOptions['runtime'],
    private readonly session: KillableSession,
    private readonly remote: RemoteSession,
  ) {}

  /** Joins the cluster and starts the agent; resolves once its session is being opened. */
  static async join(o: SimNodeOptions): Promise<SimNode> {
    const addr = o.addr ?? '127.0.0.1';
    const { issued, credentials } = await joinCluster(o.ca, { token: o.token, managerAddr: o.managerAddr, addr, hostname: o.hostname });
    const creds: NodeCredentials = credentials;
    const dialer = new TlsDialer(() => creds, issued.clusterId);
    const description = { ...(await describeNode([o.runtime], o.engineLabels)), hostname: o.hostname };
    const remote = new RemoteSession({ managers: new ManagerDirectory([o.managerAddr]), dialer, description, addr, log: o.log });
    const session = new KillableSession(remote);
    await new Agent(session, [o.runtime], o.hooks, o.log).start();
    return new SimNode(issued.nodeId, o.hostname, o.runtime, session, remote);
  }

  /**
   * The machine dies: its session and heartbeats stop (the connection closes, as a dead machine's does),
   * its runtime freezes and nothing more is reported. The managers mark it DOWN and reschedule its tasks.
   */
  kill(): void {
    if (this.session.killed) return;
    this.session.kill();
    this.remote.close();
    this.runtime.halt?.();
  }

  /** False once killed. */
  get alive(): boolean {
    return !this.session.killed;
  }
}
