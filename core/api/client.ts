import * as grpc from '@grpc/grpc-js';
import { OrchError } from '../errors';
import type { ControlApi, ControlMethod, EventsMessage, EventsRequest, ServiceLogsMessage, ServiceLogsRequest, WatchMessage, WatchRequest } from './contract';
import { controlServiceDefinition, fromServiceError } from './grpc-json';

const ControlClientCtor = grpc.makeGenericClientConstructor(controlServiceDefinition(), 'orch.Control');

/** Client of a daemon's control API. */
export class ControlClient {
  private readonly client: grpc.Client;

  /** @param target a gRPC target such as `unix:/var/lib/orch/orch.sock`. */
  constructor(readonly target: string, credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure()) {
    this.client = new ControlClientCtor(target, credentials);
  }

  /** Calls one control method. Rejects with an OrchError (code `unavailable` when no daemon answers). */
  call<M extends ControlMethod>(method: M, req: ControlApi[M]['req'], timeoutMs = 60_000): Promise<ControlApi[M]['res']> {
    return new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + timeoutMs);
      const fn = (this.client as unknown as Record<string, Function>)[method].bind(this.client);
      fn(req, new grpc.Metadata(), { deadline }, (err: grpc.ServiceError | null, res: ControlApi[M]['res']) => {
        if (err) reject(fromServiceError(err));
        else resolve(res);
      });
    });
  }

  /** Streams committed store changes; returns a function that cancels the stream. */
  watch(req: WatchRequest, onMessage: (m: WatchMessage) => void, onEnd: (err?: OrchError) => void): () => void {
    return this.stream('Watch', req, onMessage, onEnd);
  }

  /**
   * Streams cluster events (see EventsRequest); `onEnd` runs without an error when the server ends the
   * stream (its `until` passed). Returns a function that cancels the stream.
   */
  events(req: EventsRequest, onEvent: (e: EventsMessage) => void, onEnd: (err?: OrchError) => void): () => void {
    return this.stream('Events', req, onEvent, onEnd);
  }

  /**
   * Streams the logs of a service or task (see ServiceLogsRequest); `onEnd` runs without an error when the
   * server ends the stream (every node delivered its lines). Returns a function that cancels the stream.
   */
  serviceLogs(req: ServiceLogsRequest, onMessage: (m: ServiceLogsMessage) => void, onEnd: (err?: OrchError) => void): () => void {
    return this.stream('ServiceLogs', req, onMessage, onEnd);
  }

  /** Opens a server-streaming call; `onEnd` is not called once the caller cancelled. */
  private stream<T>(method: 'Watch' | 'Events' | 'ServiceLogs', req: object, onMessage: (m: T) => void, onEnd: (err?: OrchError) => void): () => void {
    const stream = (this.client as unknown as Record<string, Function>)[method].call(this.client, req) as grpc.ClientReadableStream<T>;
    let cancelled = false;
    stream.on('data', onMessage);
    stream.on('error', (err: grpc.ServiceError) => {
      if (!cancelled) onEnd(fromServiceError(err));
    });
    stream.on('end', () => {
      if (!cancelled) onEnd();
    });
    return () => {
      cancelled = true;
      stream.cancel();
    };
  }

  /** Resolves once the daemon answers, or rejects after `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.waitForReady(new Date(Date.now() + timeoutMs), (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): void {
    this.client.close();
  }
}
