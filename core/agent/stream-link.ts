import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { fromServiceError, InvalidPayload } from '../api/grpc-json';
import { NotLeaderError, type OrchError } from '../errors';
import type { DispatcherClient } from '../dispatcher/client';

/** First wait before re-opening a stream that ended (ms); it doubles up to MAX_BACKOFF_MS. */
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

/** What a StreamLink does with its stream. */
export interface StreamLinkHandlers<M> {
  /** Opens the stream on `client`. */
  open(client: DispatcherClient): grpc.ClientReadableStream<M>;
  /** A message of the current stream `stream`. */
  message(m: M, stream: grpc.ClientReadableStream<M>): void;
  /** The current stream ended or failed (a re-open follows unless the link is closed). */
  ended?(): void;
}

/**
 * One server stream of a node to a manager's dispatcher that stays open: it re-opens the stream on a
 * new connection whenever it ends or fails (at once when the manager named the leader, else after a
 * backoff that resets once a message arrives or a stream stayed up for MAX_BACKOFF_MS). A message that
 * is not JSON ends the stream.
 */
export class StreamLink<M> {
  private currentClient: DispatcherClient | undefined;
  private currentStream: grpc.ClientReadableStream<M> | undefined;
  private backoffMs = MIN_BACKOFF_MS;
  private reopenTimer: NodeJS.Timeout | undefined;
  /** When the current stream was opened (ms since the epoch). */
  private openedAt = 0;
  private closed = false;
  /** Why the last stream failed, for the next dial. */
  private lastError: OrchError | undefined;

  /** @param what names the stream in the node's log, e.g. `session with the manager`. */
  constructor(
    private readonly dial: Dial,
    private readonly handlers: StreamLinkHandlers<M>,
    private readonly log: Logger,
    private readonly what: string,
  ) {
    this.open();
  }

  /** The client of the current stream. */
  get client(): DispatcherClient | undefined {
    return this.currentClient;
  }

  /** The current stream; undefined between a stream's end and the next re-open. */
  get stream(): grpc.ClientReadableStream<M> | undefined {
    return this.currentStream;
  }

  /** Ends the stream for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    const stream = this.currentStream;
    this.currentStream = undefined;
    stream?.cancel();
  }

  /** Ends the current stream so that it re-opens on the current connection. */
  restart(): void {
    this.currentStream?.cancel();
  }

  private open(): void {
    this.currentClient = this.dial(this.currentClient, this.lastError);
    this.lastError = undefined;
    this.openedAt = Date.now();
    const stream = this.handlers.open(this.currentClient);
    this.currentStream = stream;
    stream.on('data', (m: M | InvalidPayload) => this.onMessage(stream, m));
    stream.on('error', (err: grpc.ServiceError) => {
      if (stream === this.currentStream) this.lastError = fromServiceError(err);
      this.onEnd(stream, fromServiceError(err).message);
    });
    stream.on('end', () => this.onEnd(stream, 'the manager ended the stream'));
  }

  private onMessage(stream: grpc.ClientReadableStream<M>, m: M | InvalidPayload): void {
    if (stream !== this.currentStream) return;
    if (m instanceof InvalidPayload) {
      this.onEnd(stream, `the manager sent a message that is not JSON: ${m.reason}`);
      stream.cancel();
      return;
    }
    this.backoffMs = MIN_BACKOFF_MS;
    this.handlers.message(m, stream);
  }

  private onEnd(stream: grpc.ClientReadableStream<M>, why: string): void {
    if (stream !== this.currentStream) return;
    this.currentStream = undefined;
    this.handlers.ended?.();
    if (this.closed) return;
    // Sent on to the leader: go there at once. A stream that was up a while failed afresh.
    if ((this.lastError instanceof NotLeaderError && this.lastError.leaderAddr) || Date.now() - this.openedAt > MAX_BACKOFF_MS) this.backoffMs = MIN_BACKOFF_MS;
    const wasUp = this.backoffMs === MIN_BACKOFF_MS;
    this.log[wasUp ? 'warn' : 'debug']({ why, retryInMs: this.backoffMs }, `${this.what} ended; re-opening`);
    this.reopenTimer = setTimeout(() => this.open(), this.backoffMs);
    this.backoffMs = nextBackoff(this.backoffMs);
  }
}
