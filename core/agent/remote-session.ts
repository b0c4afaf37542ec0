import type { Logger } from 'pino';
import type { ClusterDialer } from '../cluster/contract';
import { DispatcherClient } from '../dispatcher/client';
import { NotLeaderError, type OrchError } from '../errors';
import type { NodeDescription } from '../model/types';
import type { AgentSession, AssignmentChange, StatusUpdate } from './contract';
import type { ManagerDirectory } from './manager-directory';
import { SessionLink } from './session-link';

/** How long a status report may take before it fails (the StatusBatcher then retries it). */
const REPORT_TIMEOUT_MS = 30_000;

export interface RemoteSessionOptions {
  /** The managers to talk to; the session follows redirects to the leader and moves on from failed ones. */
  readonly managers: ManagerDirectory;
  /** This node's credentials (mutual TLS). */
  readonly dialer: ClusterDialer;
  /** What this node reports about itself when its session opens. */
  readonly description: NodeDescription;
  /** This node's advertise address. */
  readonly addr: string;
  readonly log: Logger;
  /** Told the role the cluster gives this node, with every heartbeat answer. */
  readonly onRole?: (role: 'manager' | 'worker') => void;
}

/**
 * An AgentSession across nodes: the agent's link to the leading manager's dispatcher. Assignments
 * arrive on a Session stream that is re-opened (with backoff) whenever it ends, each time with a
 * complete set — at the leader another manager names, or at the next known manager when this one
 * failed; the node heartbeats while the stream is up; status reports are UpdateTaskStatus calls.
 */
export class RemoteSession implements AgentSession {
  private client: DispatcherClient;
  private readonly links = new Set<SessionLink>();

  constructor(private readonly options: RemoteSessionOptions) {
    this.client = this.connect();
  }

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    const { description, addr, log } = this.options;
    const link = new SessionLink((failed, why) => this.dial(failed, why), { description, addr }, onChange, log, (addrs) => this.options.managers.learn(addrs), this.options.onRole);
    this.links.add(link);
    return () => {
      this.links.delete(link);
      link.close();
    };
  }

  async report(updates: readonly StatusUpdate[]): Promise<void> {
    try {
      await this.client.updateTaskStatus({ updates }, REPORT_TIMEOUT_MS);
    } catch (err) {
      // Reports go where the session goes; a report that missed the leader is retried by the batcher.
      this.dial(this.client, err as OrchError);
      throw err;
    }
  }

  /**
   * Replaces the connection with one made from the node's current credentials (after a certificate
   * renewal or a root rotation): TLS authenticates a connection once, so the old one would be refused
   * once its certificate expires. Open sessions re-open on the new connection.
   */
  reconnect(): void {
    this.dial(this.client);
    // A closed channel lets its calls run on: end the open streams so they re-open on the new one.
    for (const link of this.links) link.restart();
  }

  /** Ends every subscription and the connection. */
  close(): void {
    for (const link of this.links) link.close();
    this.links.clear();
    this.client.close();
  }

  /** A connection to the current manager with the node's current credentials (renewed certificates, rotated roots). */
  private connect(): DispatcherClient {
    return new DispatcherClient(this.options.managers.current, this.options.dialer.managerCredentials());
  }

  /**
   * The current connection; a new one when `failed` is the current one (other links then follow): to
   * the leader if `why` names it, to the next known manager if the call failed for want of a manager.
   */
  private dial(failed?: DispatcherClient, why?: OrchError): DispatcherClient {
    if (failed === this.client) {
      if (why instanceof NotLeaderError && why.leaderAddr) this.options.managers.redirect(why.leaderAddr);
      else if (why?.code === 'unavailable') this.options.managers.failed();
      this.client = this.connect();
      failed.close();
    }
    return this.client;
  }
}
