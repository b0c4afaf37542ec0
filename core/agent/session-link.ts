import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { AssignmentMessage, SessionRequest } from '../dispatcher/contract';
import type { AssignmentChange } from './contract';
import { StreamLink, type Dial } from './stream-link';

type Stream = grpc.ClientReadableStream<AssignmentMessage>;

/**
 * One subscription's Session stream to a manager. It re-opens the stream on a new connection whenever
 * it ends or fails (see StreamLink); each re-open delivers a complete set. While a stream is up, the
 * link heartbeats at the period the manager last announced.
 */
export class SessionLink {
  private readonly link: StreamLink<AssignmentMessage>;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** The announced heartbeat period; set once the current stream has delivered a message. */
  private periodMs: number | undefined;

  constructor(
    dial: Dial,
    request: SessionRequest,
    private readonly onChange: (change: AssignmentChange) => void,
    private readonly log: Logger,
    /** Called with the managers' addresses each complete set announces. */
    private readonly onManagers: (addrs: readonly string[]) => void = () => undefined,
    /** Called with the node's role as each heartbeat answer gives it. */
    private readonly onRole: (role: 'manager' | 'worker') => void = () => undefined,
  ) {
    this.link = new StreamLink<AssignmentMessage>(
      dial,
      { open: (client) => client.session(request), message: (m, stream) => this.onMessage(stream, m), ended: () => this.stopHeartbeats() },
      log,
      'session with the manager',
    );
  }

  /** Ends the stream and its heartbeats for good. */
  close(): void {
    this.link.close();
    this.stopHeartbeats();
  }

  /** Ends the current stream so that it re-opens on the session's current connection. */
  restart(): void {
    this.link.restart();
  }

  private onMessage(stream: Stream, m: AssignmentMessage): void {
    const first = this.periodMs === undefined;
    this.periodMs = m.heartbeatPeriodMs;
    if (first) this.scheduleHeartbeat(stream);
    if (m.managers) this.onManagers(m.managers);
    this.onChange({ full: m.full, tasks: m.tasks, removed: m.removed, ...(m.routes && { routes: m.routes }) });
  }

  /**
   * Sends a heartbeat of `stream` on its connection every period, paced from each send (a slow answer
   * does not delay the next); an answer sets the period that follows.
   */
  private scheduleHeartbeat(stream: Stream): void {
    this.heartbeatTimer = setTimeout(() => {
      const client = this.link.client;
      if (stream !== this.link.stream || !client || this.periodMs === undefined) return;
      client.heartbeat(this.periodMs).then(
        (res) => {
          if (stream !== this.link.stream) return;
          this.periodMs = res.periodMs;
          if (res.role) this.onRole(res.role);
        },
        (err) => this.log.debug({ err: (err as Error).message }, 'heartbeat failed'),
      );
      this.scheduleHeartbeat(stream);
    }, this.periodMs);
  }

  private stopHeartbeats(): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.periodMs = undefined;
  }
}
