import * as grpc from '@grpc/grpc-js';
import { fromServiceError } from '../api/grpc-json';
import {
  DISPATCHER_SERVICE,
  dispatcherServiceDefinition,
  type AssignmentMessage,
  type HeartbeatResponse,
  type LogSubscriptionMessage,
  type PublishLogsRequest,
  type PublishLogsResponse,
  type SessionRequest,
  type UpdateTaskStatusRequest,
  type UpdateTaskStatusResponse,
} from './contract';

const DispatcherClientCtor = grpc.makeGenericClientConstructor(dispatcherServiceDefinition(), DISPATCHER_SERVICE);

/** Channel options of a node's link to a manager: take a complete assignment set of any size. */
const CHANNEL_OPTIONS: grpc.ChannelOptions = { 'grpc.max_receive_message_length': -1 };

/** Client of a manager's `orch.Dispatcher`. */
export class DispatcherClient {
  private readonly client: grpc.Client;

  /** @param target a manager's `host:port`. */
  constructor(target: string, credentials: grpc.ChannelCredentials) {
    this.client = new DispatcherClientCtor(target, credentials, CHANNEL_OPTIONS);
  }

  /** Opens a Session stream. */
  session(req: SessionRequest): grpc.ClientReadableStream<AssignmentMessage> {
    return this.method('Session').call(this.client, req) as grpc.ClientReadableStream<AssignmentMessage>;
  }

  /** Opens the node's ListenLogSubscriptions stream. */
  listenLogSubscriptions(): grpc.ClientReadableStream<LogSubscriptionMessage> {
    return this.method('ListenLogSubscriptions').call(this.client, {}) as grpc.ClientReadableStream<LogSubscriptionMessage>;
  }

  publishLogs(req: PublishLogsRequest, timeoutMs: number): Promise<PublishLogsResponse> {
    return this.unary('PublishLogs', req, timeoutMs);
  }

  updateTaskStatus(req: UpdateTaskStatusRequest, timeoutMs: number): Promise<UpdateTaskStatusResponse> {
    return this.unary('UpdateTaskStatus', req, timeoutMs);
  }

  heartbeat(timeoutMs: number): Promise<HeartbeatResponse> {
    return this.unary('Heartbeat', {}, timeoutMs);
  }

  close(): void {
    this.client.close();
  }

  private method(name: string): Function {
    return (this.client as unknown as Record<string, Function>)[name];
  }

  /** Calls a unary method; rejects with an OrchError. */
  private unary<Res>(name: string, req: unknown, timeoutMs: number): Promise<Res> {
    return new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + timeoutMs);
      this.method(name).call(this.client, req, new grpc.Metadata(), { deadline }, (err: grpc.ServiceError | null, res: Res) => {
        if (err) reject(fromServiceError(err));
        else resolve(res);
      });
    });
  }
}
