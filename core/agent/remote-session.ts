import type { Logger } from 'pino';
import type { ClusterDialer } from '../cluster/contract';
import { DispatcherClient } from '../dispatcher/client';
import { NotLeaderError, type OrchError } from '../errors';
import { parseLogSubscription } from '../dispatcher/validate';
import type { LogChannel, LogPublication, LogSubscriber, LogSubscription } from '../logs/contract';
import type { NodeDescription } from '../model/types';
import type { AgentSession, AssignmentChange, StatusUpdate } from './contract';
import type { ManagerDirectory } from './manager-directory';
import { SessionLink } from './session-link';
import { StreamLink } from './stream-link';

/** How long a status report or a log batch may take before it fails (the StatusBatcher then retries a report). */
const REPORT_TIMEOUT_MS = 30_000;

/** A stream a RemoteSession keeps open. */
type Link = Pick<SessionLink, 'close' | 'restart'>;

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
 * failed; the node heartbeats while the stream is up; status reports are UpdateTaskStatus calls. It is
 * the node's log channel too: subscriptions arrive on a ListenLogSubscriptions stream that follows the
 * leader the same way, and batches go up as PublishLogs calls.
 */
export class RemoteSession implements AgentSession, LogChannel {
  private client: DispatcherClient;
  private readonly links = new Set<Link>();

  constructor(private readonly options: RemoteSessionOptions) {
    this.client = this.connect();
  }

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    const { description, addr, log } = this.options;
    return this.keep(new SessionLink((failed, why) => this.dial(failed, why), { description, addr }, onChange, log, (addrs) => this.options.managers.learn(addrs), this.options.onRole));
  }

  async report(updates: readonly StatusUpdate[]): Promise<void> {
    // A report that missed the leader is retried by the batcher.
    await this.send((client) => client.updateTaskStatus({ updates }, REPORT_TIMEOUT_MS));
  }

  /** Listens on a ListenLogSubscriptions stream; a subscription that is not valid is logged and dropped. */
  listenLogs(subscriber: LogSubscriber): () => void {
    const { log } = this.options;
    const message = (m: unknown) => {
      let s: LogSubscription;
      try {
        s = parseLogSubscription(m);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'dropped a log subscription that is not valid');
        return;
      }
      subscriber.subscription(s);
    };
    const link = new StreamLink((failed, why) => this.dial(failed, why), { open: (c) => c.listenLogSubscriptions(), message, ended: () => subscriber.lost() }, log, 'log subscription stream');
    return this.keep(link);
  }

  async publishLogs(publication: LogPublication): Promise<void> {
    // A batch the leader refused (its subscription is over) says nothing about the connection.
    await this.send((client) => client.publishLogs(publication, REPORT_TIMEOUT_MS), (err) => err.code === 'unavailable');
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

  /** Keeps `link` open until the returned function closes it; `reconnect` restarts it. */
  private keep(link: Link): () => void {
    this.links.add(link);
    return () => {
      this.links.delete(link);
      link.close();
    };
  }

  /**
   * Makes a call on the current connection; one that fails (for a reason `redial` accepts) moves the
   * connection where the session goes.
   */
  private async send<T>(call: (client: DispatcherClient) => Promise<T>, redial: (err: OrchError) => boolean = () => true): Promise<T> {
    const client = this.client;
    try {
      return await call(client);
    } catch (err) {
      if (redial(err as OrchError)) this.dial(client, err as OrchError);
      throw err;
    }
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
