import type * as grpc from '@grpc/grpc-js';
import { watchAssignments } from '../agent/assignments';
import { toServiceError } from '../api/grpc-json';
import type { Json } from '../model/check';
import type { RouteChange } from '../network/contract';
import type { ClusterStore } from '../store/contract';
import type { AssignmentMessage } from './contract';

/** The server side of one node's Session stream. */
export type SessionCall = grpc.ServerWritableStream<Json, AssignmentMessage>;

/**
 * One open Session stream: once `stream` is called it sends the node's complete set of tasks, then
 * each change, until it ends — the client went away, a newer session of the node replaced it, or the
 * dispatcher ended it.
 */
export class NodeSession {
  private unwatch: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly call: SessionCall,
    /** Called once, when the session ends for whatever reason. */
    private readonly onEnd: () => void,
  ) {
    call.on('cancelled', () => this.finish());
  }

  /**
   * Starts sending the assignments of `nodeId`, each message announcing `periodMs()`; complete sets list
   * `managers()` and the routing state `routes()` (read at the same version).
   */
  stream(store: ClusterStore, nodeId: string, o: { periodMs(): number; managers(): readonly string[]; routes(): RouteChange }): void {
    if (this.ended) return;
    this.unwatch = watchAssignments(
      store,
      nodeId,
      (change) => this.call.write({ ...change, heartbeatPeriodMs: o.periodMs(), ...(change.full ? { managers: o.managers() } : {}) }),
      () => o.routes(),
    );
  }

  /** Ends the stream: cleanly, or with `err` for the client to see. */
  end(err?: unknown): void {
    if (this.ended) return;
    if (err === undefined) this.call.end();
    else this.call.emit('error', toServiceError(err));
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.unwatch?.();
    this.onEnd();
  }
}
