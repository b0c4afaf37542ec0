import type { Logger } from 'pino';
import type { ClusterDialer } from '../cluster/contract';
import { DispatcherClient } from '../dispatcher/client';
import type { NodeDescription } from '../model/types';
import type { AgentSession, AssignmentChange, StatusUpdate } from './contract';
import { SessionLink } from './session-link';

/** How long a status report may take before it fails (the StatusBatcher then retries it). */
const REPORT_TIMEOUT_MS = 30_000;

export interface RemoteSessionOptions {
  /** A manager's `host:port`. */
  readonly target: string;
  /** This node's credentials (mutual TLS). */
  readonly dialer: ClusterDialer;
  /** What this node reports about itself when its session opens. */
  readonly description: NodeDescription;
  /** This node's advertise address. */
  readonly addr: string;
  readonly log: Logger;
}

/**
 * An AgentSession across nodes: the agent's link to a manager's dispatcher. Assignments arrive on a
 * Session stream that is re-opened (with backoff) whenever it ends, each time with a complete set;
 * the node heartbeats while the stream is up; status reports are UpdateTaskStatus calls.
 */
export class RemoteSession implements AgentSession {
  private client: DispatcherClient;
  private readonly links = new Set<SessionLink>();

  constructor(private readonly options: RemoteSessionOptions) {
    this.client = this.connect();
  }

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    const { description, addr, log } = this.options;
    const link = new SessionLink((failed) => this.dial(failed), { description, addr }, onChange, log);
    this.links.add(link);
    return () => {
      this.links.delete(link);
      link.close();
    };
  }

  async report(updates: readonly StatusUpdate[]): Promise<void> {
    await this.client.updateTaskStatus({ updates }, REPORT_TIMEOUT_MS);
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

  /** A connection with the node's current credentials (renewed certificates, rotated roots). */
  private connect(): DispatcherClient {
    return new DispatcherClient(this.options.target, this.options.dialer.managerCredentials());
  }

  /** The current connection; a new one when `failed` is the current one (other links then follow). */
  private dial(failed?: DispatcherClient): DispatcherClient {
    if (failed === this.client) {
      this.client = this.connect();
      failed.close();
    }
    return this.client;
  }
}
