import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { fromServiceError, InvalidPayload } from '../api/grpc-json';
import { NotLeaderError, type OrchError } from '../errors';
import type { DispatcherClient } from '../dispatcher/client';
import type { AssignmentMessage, SessionRequest } from '../dispatcher/contract';
import type { AssignmentChange } from './contract';

/** First wait before re-opening a session that ended (ms); it doubles up to MAX_BACKOFF_MS. */
export const MIN_BACKOFF_MS = 100;
export const MAX_BACKOFF_MS = 5000;

/** The wait after `backoffMs` when a re-open fails again: doubled, at most MAX_BACKOFF_MS. */
export function nextBackoff(backoffMs: number): number {
  return Math.min(backoffMs * 2, MAX_BACKOFF_MS);
}

/**
 * Gives a link the client to open its stream on. `failed` is the client of the link's stream that
 * ended (and `why`, the error it ended with, if any): the link needs a new connection, dialled with the
 * node's current credentials, possibly to another manager.
 */
export type Dial = (failed?: DispatcherClient, why?: OrchError) => DispatcherClient;

type Stream = grpc.ClientReadableStream<AssignmentMessage>;

/**
 * One subscription's Session stream to a manager. It re-opens the stream on a new connection whenever
 * it ends or fails, after a backoff that resets once a message arrives; each re-open delivers a
 * complete set. While a stream is up, the link heartbeats at the period the manager last announced.
 */
export class SessionLink {
  private client: DispatcherClient | undefined;
  private stream: Stream | undefined;
  private backoffMs = MIN_BACKOFF_MS;
  private reopenTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** The announced heartbeat period; set once the current stream has delivered a message. */
  private periodMs: number | undefined;
  private closed = false;
  /** Why the last stream failed, for the next dial. */
  private lastError: OrchError | undefined;

  constructor(
    private readonly dial: Dial,
    private readonly request: SessionRequest,
    private readonly onChange: (change: AssignmentChange) => void,
    private readonly log: Logger,
    /** Called with the managers' addresses each complete set announces. */
    private readonly onManagers: (addrs: readonly string[]) => void = () => undefined,
    /** Called with the node's role as each heartbeat answer gives it. */
    private readonly onRole: (role: 'manager' | 'worker') => void = () => undefined,
  ) {
    this.open();
  }

  /** Ends the stream and its heartbeats for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    this.stopHeartbeats();
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }

  /** Ends the current stream so that it re-opens on the session's current connection. */
  restart(): void {
    this.stream?.cancel();
  }

  private open(): void {
    this.client = this.dial(this.client, this.lastError);
    this.lastError = undefined;
    const stream = this.client.session(this.request);
    this.stream = stream;
    stream.on('data', (m: AssignmentMessage | InvalidPayload) => this.onMessage(stream, m));
    stream.on('error', (err: grpc.ServiceError) => {
      if (stream === this.stream) this.lastError = fromServiceError(err);
      this.onEnd(stream, fromServiceError(err).message);
    });
    stream.on('end', () => this.onEnd(stream, 'the manager ended the session'));
  }

  private onMessage(stream: Stream, m: AssignmentMessage | InvalidPayload): void {
    if (stream !== this.stream) return;
    if (m instanceof InvalidPayload) {
      this.onEnd(stream, `the manager sent a message that is not JSON: ${m.reason}`);
      stream.cancel();
      return;
    }
    this.backoffMs = MIN_BACKOFF_MS;
    const first = this.periodMs === undefined;
    this.periodMs = m.heartbeatPeriodMs;
    if (first) this.scheduleHeartbeat(stream);
    if (m.managers) this.onManagers(m.managers);
    this.onChange({ full: m.full, tasks: m.tasks, removed: m.removed, ...(m.routes && { routes: m.routes }) });
  }

  private onEnd(stream: Stream, why: string): void {
    if (stream !== this.stream) return;
    this.stream = undefined;
    this.stopHeartbeats();
    if (this.closed) return;
    // Sent on to the leader: go there at once.
    if (this.lastError instanceof NotLeaderError && this.lastError.leaderAddr) this.backoffMs = MIN_BACKOFF_MS;
    const wasUp = this.backoffMs === MIN_BACKOFF_MS;
    this.log[wasUp ? 'warn' : 'debug']({ why, retryInMs: this.backoffMs }, 'session with the manager ended; re-opening');
    this.reopenTimer = setTimeout(() => this.open(), this.backoffMs);
    this.backoffMs = nextBackoff(this.backoffMs);
  }

  /**
   * Sends a heartbeat of `stream` on its connection every period, paced from each send (a slow answer
   * does not delay the next); an answer sets the period that follows.
   */
  private scheduleHeartbeat(stream: Stream): void {
    this.heartbeatTimer = setTimeout(() => {
      if (stream !== this.stream || !this.client || this.periodMs === undefined) return;
      this.client.heartbeat(this.periodMs).then(
        (res) => {
          if (stream !== this.stream) return;
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
