import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { toServiceError } from '../api/grpc-json';
import type { ClusterServer, ServerCall } from '../cluster/contract';
import type { PeerIdentity, PeerRole } from '../cluster/identity';
import { NotLeaderError, OrchError } from '../errors';
import { LogBroker } from '../logs/broker';
import type { Json } from '../model/check';
import type { ClusterStore } from '../store/contract';
import {
  dispatcherServiceDefinition,
  type HeartbeatResponse,
  type LogSubscriptionMessage,
  type PublishLogsResponse,
  type SessionRequest,
  type UpdateTaskStatusResponse,
} from './contract';
import { HeartbeatMonitor } from './heartbeat-monitor';
import type { SetTimer } from './heartbeats';
import { LiveRoutes } from '../network/live-routes';
import { NodeSession, type SessionCall } from './node-session';
import { StatusWriter } from './status-writer';
import { updateRetrying } from '../store/update-retrying';
import { recordSession } from './store-writes';
import { parseHeartbeatRequest, parseListenLogSubscriptionsRequest, parsePublishLogsRequest, parseSessionRequest, parseUpdateTaskStatusRequest } from './validate';

/** The server side of one node's ListenLogSubscriptions stream. */
type LogListenCall = grpc.ServerWritableStream<Json, LogSubscriptionMessage>;

/** Roles that may call the dispatcher: every node runs an agent. */
const CALLERS: readonly PeerRole[] = ['worker', 'manager'];

export interface DispatcherOptions {
  readonly store: ClusterStore;
  /** The cluster listener the service is added to; it authorizes every call. */
  readonly server: ClusterServer;
  readonly log: Logger;
  /** This manager's own node: its agent works on the local store and it is never judged by heartbeats. */
  readonly selfNodeId: string;
  readonly clock?: () => Date;
  /** Timer of the heartbeat monitor (injectable for tests). */
  readonly setTimer?: SetTimer;
  /** Source of the heartbeat period jitter, in [0, 1). */
  readonly random?: () => number;
  /** How long UpdateTaskStatus calls are collected into one transaction (ms). */
  readonly statusWindowMs?: number;
  /** Where the leader is, for callers that reach this manager while it does not lead. */
  readonly leaderAddr?: () => string | undefined;
  /** Cluster addresses of all managers, for agents to fall back on. */
  readonly managers?: () => readonly string[];
  /** Called with the number of open sessions whenever it changes. */
  readonly onSessions?: (count: number) => void;
  /** The log broker nodes listen to and publish to (a new one when not given). */
  readonly logs?: LogBroker;
}

/**
 * The manager side of the agents' link (`orch.Dispatcher`): streams each node its assignments,
 * writes the statuses agents report, judges nodes by their heartbeats, and links each node to the log
 * broker (ListenLogSubscriptions down, PublishLogs up). Every call is authorized
 * by the caller's certificate and acts on the node it names, never on one a payload names.
 *
 * The service is added to the server once, at construction; the dispatcher then serves between
 * `start` and `stop` (the terms in which this manager leads) and answers UNAVAILABLE otherwise.
 */
export class Dispatcher {
  private readonly monitor: HeartbeatMonitor;
  private readonly writer: StatusWriter;
  private readonly sessions = new Map<string, NodeSession>();
  /** Open ListenLogSubscriptions streams: whose, and what unregisters each from the broker. */
  private readonly logListeners = new Map<LogListenCall, { readonly nodeId: string; readonly unlisten: () => void }>();
  /** The log broker: served while this dispatcher serves. */
  readonly logs: LogBroker;
  private readonly clock: () => Date;
  /** The routing state every session starts with, kept live while this dispatcher serves. */
  private readonly routes: LiveRoutes;
  private running = false;

  constructor(private readonly options: DispatcherOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.monitor = new HeartbeatMonitor({
      ...options,
      clock: this.clock,
      onDown: (id) => {
        const why = new OrchError('unavailable', 'the node missed its heartbeats and was marked down');
        this.sessions.get(id)?.end(why);
        for (const [call, l] of [...this.logListeners]) if (l.nodeId === id) this.endLogListener(call, why);
      },
    });
    this.writer = new StatusWriter(options.store, options.statusWindowMs);
    this.routes = new LiveRoutes(options.store);
    this.logs = options.logs ?? new LogBroker();
    options.server.addService(dispatcherServiceDefinition(), {
      Session: (call: SessionCall) => this.session(call),
      UpdateTaskStatus: this.unary((peer, req) => this.updateTaskStatus(peer, req)),
      Heartbeat: this.unary((peer, req) => this.heartbeat(peer, req)),
      ListenLogSubscriptions: (call: LogListenCall) => this.listenLogSubscriptions(call),
      PublishLogs: this.unary((peer, req) => this.publishLogs(peer, req)),
    });
  }

  /** Starts serving and judging heartbeats (every known node gets two graces first). */
  start(): void {
    this.running = true;
    this.routes.start();
    this.logs.start();
    this.monitor.start();
  }

  /**
   * Ends every session and log stream (their agents reconnect, possibly elsewhere) and every log
   * subscription, and waits for writes under way.
   */
  async stop(): Promise<void> {
    this.running = false;
    for (const s of [...this.sessions.values()]) s.end(new OrchError('unavailable', 'the dispatcher stopped on this manager'));
    this.routes.stop();
    this.logs.stop();
    for (const call of [...this.logListeners.keys()]) this.endLogListener(call, new OrchError('unavailable', 'the dispatcher stopped on this manager'));
    await this.monitor.stop();
    await this.writer.drain();
  }

  /** The caller, once it may use the dispatcher. */
  private admit(call: ServerCall): PeerIdentity {
    const peer = this.options.server.authorize(call, CALLERS);
    if (!this.running) throw new NotLeaderError(this.options.leaderAddr?.());
    return peer;
  }

  private unary<Res>(handle: (peer: PeerIdentity, req: Json) => Promise<Res>): grpc.handleUnaryCall<Json, Res> {
    return (call, callback) => {
      new Promise<Res>((resolve) => resolve(handle(this.admit(call), call.request))).then(
        (res) => callback(null, res),
        (err) => {
          if (!(err instanceof OrchError)) this.options.log.error({ path: call.getPath(), err: (err as Error).stack }, 'dispatcher call failed');
          callback(toServiceError(err));
        },
      );
    };
  }

  private async updateTaskStatus(peer: PeerIdentity, req: Json): Promise<UpdateTaskStatusResponse> {
    const { updates } = parseUpdateTaskStatusRequest(req);
    await this.writer.write(peer.nodeId, updates);
    return {};
  }

  private async heartbeat(peer: PeerIdentity, req: Json): Promise<HeartbeatResponse> {
    parseHeartbeatRequest(req);
    this.monitor.heartbeat(peer.nodeId);
    const role = this.options.store.view((r) => r.nodes.get(peer.nodeId)?.spec.role);
    return { periodMs: this.monitor.announcedPeriodMs(), ...(role && { role }) };
  }

  private async publishLogs(peer: PeerIdentity, req: Json): Promise<PublishLogsResponse> {
    this.logs.publish(peer.nodeId, parsePublishLogsRequest(req));
    return {};
  }

  /** Links a node to the log broker: its subscriptions are written to the stream until it ends. */
  private listenLogSubscriptions(call: LogListenCall): void {
    let peer: PeerIdentity;
    try {
      peer = this.admit(call);
      parseListenLogSubscriptionsRequest(call.request);
    } catch (err) {
      call.emit('error', toServiceError(err));
      return;
    }
    this.logListeners.set(call, { nodeId: peer.nodeId, unlisten: this.logs.listen(peer.nodeId, (s) => call.write(s)) });
    call.on('cancelled', () => this.endLogListener(call));
    call.on('close', () => this.endLogListener(call));
  }

  /** Unregisters a node's log stream from the broker; with `err`, ends the stream with it too (the node re-opens it). */
  private endLogListener(call: LogListenCall, err?: OrchError): void {
    const listener = this.logListeners.get(call);
    if (!listener) return;
    this.logListeners.delete(call);
    listener.unlisten();
    if (err) call.emit('error', toServiceError(err));
  }

  /**
   * Opens a node's session: ends the node's previous one, records the node READY with its description,
   * then streams its assignments.
   */
  private session(call: SessionCall): void {
    let peer: PeerIdentity;
    let req: SessionRequest;
    try {
      peer = this.admit(call);
      req = parseSessionRequest(call.request);
    } catch (err) {
      call.emit('error', toServiceError(err));
      return;
    }
    const { store, log } = this.options;
    const { nodeId } = peer;
    const session = new NodeSession(call, () => {
      if (this.sessions.get(nodeId) !== session) return;
      this.sessions.delete(nodeId);
      this.options.onSessions?.(this.sessions.size);
      this.monitor.lost(nodeId);
    });
    this.sessions.get(nodeId)?.end();
    this.sessions.set(nodeId, session);
    this.options.onSessions?.(this.sessions.size);
    this.monitor.track(nodeId);
    updateRetrying(store, (tx) => recordSession(tx, peer, req, this.clock())).then(
      () => {
        log.info({ node: nodeId, addr: req.addr }, 'node session opened');
        session.stream(store, nodeId, {
          periodMs: () => this.monitor.announcedPeriodMs(),
          managers: () => this.options.managers?.() ?? [],
          routes: () => this.routes.full(),
        });
      },
      (err) => {
        log.warn({ node: nodeId, err: (err as Error).message }, 'could not record node session');
        session.end(err);
      },
    );
  }
}
