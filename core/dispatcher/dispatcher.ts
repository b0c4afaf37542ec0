import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { toServiceError } from '../api/grpc-json';
import type { ClusterServer, ServerCall } from '../cluster/contract';
import type { PeerIdentity, PeerRole } from '../cluster/identity';
import { NotLeaderError, OrchError } from '../errors';
import type { Json } from '../model/check';
import type { ClusterStore } from '../store/contract';
import { dispatcherServiceDefinition, type HeartbeatResponse, type SessionRequest, type UpdateTaskStatusResponse } from './contract';
import { HeartbeatMonitor } from './heartbeat-monitor';
import type { SetTimer } from './heartbeats';
import { NodeSession, type SessionCall } from './node-session';
import { StatusWriter } from './status-writer';
import { recordSession, updateRetrying } from './store-writes';
import { parseHeartbeatRequest, parseSessionRequest, parseUpdateTaskStatusRequest } from './validate';

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
}

/**
 * The manager side of the agents' link (`orch.Dispatcher`): streams each node its assignments,
 * writes the statuses agents report, and judges nodes by their heartbeats. Every call is authorized
 * by the caller's certificate and acts on the node it names, never on one a payload names.
 *
 * The service is added to the server once, at construction; the dispatcher then serves between
 * `start` and `stop` (the terms in which this manager leads) and answers UNAVAILABLE otherwise.
 */
export class Dispatcher {
  private readonly monitor: HeartbeatMonitor;
  private readonly writer: StatusWriter;
  private readonly sessions = new Map<string, NodeSession>();
  private readonly clock: () => Date;
  private running = false;

  constructor(private readonly options: DispatcherOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.monitor = new HeartbeatMonitor({
      ...options,
      clock: this.clock,
      onDown: (id) => this.sessions.get(id)?.end(new OrchError('unavailable', 'the node missed its heartbeats and was marked down')),
    });
    this.writer = new StatusWriter(options.store, options.statusWindowMs);
    options.server.addService(dispatcherServiceDefinition(), {
      Session: (call: SessionCall) => this.session(call),
      UpdateTaskStatus: this.unary((peer, req) => this.updateTaskStatus(peer, req)),
      Heartbeat: this.unary((peer, req) => this.heartbeat(peer, req)),
    });
  }

  /** Starts serving and judging heartbeats (every known node gets two graces first). */
  start(): void {
    this.running = true;
    this.monitor.start();
  }

  /** Ends every session (their agents reconnect, possibly elsewhere) and waits for writes under way. */
  async stop(): Promise<void> {
    this.running = false;
    for (const s of [...this.sessions.values()]) s.end(new OrchError('unavailable', 'the dispatcher stopped on this manager'));
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
        session.stream(store, nodeId, () => this.monitor.announcedPeriodMs(), () => this.options.managers?.() ?? []);
      },
      (err) => {
        log.warn({ node: nodeId, err: (err as Error).message }, 'could not record node session');
        session.end(err);
      },
    );
  }
}
