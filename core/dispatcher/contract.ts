import type * as grpc from '@grpc/grpc-js';
import type { AssignmentChange, StatusUpdate } from '../agent/contract';
import { jsonServiceDefinition } from '../api/grpc-json';
import type { LogPublication, LogSubscription } from '../logs/contract';
import type { NodeDescription } from '../model/types';

/**
 * The dispatcher's wire contract: gRPC service `orch.Dispatcher` with JSON messages, served by the
 * managers on the cluster listener (mutual TLS). The caller's node is always the one its certificate
 * names; no message carries a node id.
 */
export const DISPATCHER_SERVICE = 'orch.Dispatcher';

/** Opens a node's session: the manager records the node and streams its assignments. */
export interface SessionRequest {
  /** What the node reports about itself (recorded on its node object). */
  readonly description: NodeDescription;
  /** The node's advertise address. */
  readonly addr: string;
}

/**
 * One message of the Session stream: the complete set of the node's tasks first (`full`), then each
 * change. A node's agent reconciles every complete set (one comes after each reconnection).
 */
export interface AssignmentMessage extends AssignmentChange {
  /** How often the node must call Heartbeat while the session is open (ms, jittered per node). */
  readonly heartbeatPeriodMs: number;
  /** Cluster addresses of the managers, to fall back on when this one goes away (sent with complete sets). */
  readonly managers?: readonly string[];
}

/** Reports observed task states. Only forward moves of the caller's own tasks are applied. */
export interface UpdateTaskStatusRequest {
  readonly updates: readonly StatusUpdate[];
}

/** UpdateTaskStatus answers once the updates are durable. */
export type UpdateTaskStatusResponse = Record<string, never>;

/** A sign of life; carries nothing. */
export type HeartbeatRequest = Record<string, never>;

export interface HeartbeatResponse {
  /** When to send the next heartbeat (ms, jittered per call). */
  readonly periodMs: number;
  /** The role the cluster gives the node now; a node whose role changed renews its certificate and restarts. */
  readonly role?: 'manager' | 'worker';
}

/** Opens a node's log subscription stream (ListenLogSubscriptions); carries nothing. */
export type ListenLogSubscriptionsRequest = Record<string, never>;

/**
 * One message of the ListenLogSubscriptions stream: a subscription the leader's log broker sends this node
 * (the stream stays open while the node is connected; it carries only subscriptions naming the node's tasks).
 */
export type LogSubscriptionMessage = LogSubscription;

/**
 * Publishes a batch of log lines for a subscription sent to the caller, only for the tasks it was asked
 * for; anything else is refused (NOT_FOUND when the subscription is over, so the node stops streaming it).
 */
export type PublishLogsRequest = LogPublication;

/** PublishLogs answers once the batch is relayed. */
export type PublishLogsResponse = Record<string, never>;

/** Unary methods of `orch.Dispatcher`. */
const DISPATCHER_UNARY = ['UpdateTaskStatus', 'Heartbeat', 'PublishLogs'] as const;
/** Server-streaming methods of `orch.Dispatcher`. */
const DISPATCHER_STREAMS = ['Session', 'ListenLogSubscriptions'] as const;

/** Service definition of `orch.Dispatcher`, for servers and generic clients alike. */
export function dispatcherServiceDefinition(): grpc.ServiceDefinition {
  return jsonServiceDefinition(DISPATCHER_SERVICE, DISPATCHER_UNARY, DISPATCHER_STREAMS);
}
