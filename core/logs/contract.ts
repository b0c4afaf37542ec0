import type { LogLine, LogOptions } from '../runtime/contract';

/** Longest line a node publishes (UTF-16 code units); a longer one is cut into several. */
export const MAX_LOG_LINE_CHARS = 64 * 1024;

/** Most lines in one published batch. */
export const MAX_LOG_BATCH = 1000;

/** A log line's timestamp: RFC 3339 with up to nanoseconds, as runtimes record them. */
export const LOG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** One line of a task's log, as nodes publish it and `ServiceLogs` streams it. */
export interface LogMessage extends LogLine {
  readonly taskId: string;
}

/**
 * What the leader asks of one node for one `ServiceLogs` call (SwarmKit's log broker): stream the logs
 * of `taskIds` (tasks already streamed for this subscription are left alone) with `options`; `close`
 * ends the subscription and every stream of it. The first message of a subscription names all the
 * node's tasks; later ones name tasks that started since (follow only), or all of them again after the
 * node's subscription stream was re-opened (then with `tail: 0`, new lines only).
 */
export interface LogSubscription {
  readonly id: string;
  readonly taskIds: readonly string[];
  readonly options: LogOptions;
  readonly close?: boolean;
}

/**
 * A batch of log lines a node publishes for one subscription; batches of a subscription are sent one at a
 * time, so the lines of each task arrive in order. `close`: the node has sent everything it will (it
 * closes a subscription without follow once every stream of it ended); `error`: why some of the logs
 * could not be read (the caller is warned that its logs are incomplete).
 */
export interface LogPublication {
  readonly subscriptionId: string;
  readonly messages: readonly LogMessage[];
  readonly close?: boolean;
  readonly error?: string;
}

/** What a node's log publisher is told by its link to the leader. */
export interface LogSubscriber {
  /** A subscription message from the leader. */
  subscription(s: LogSubscription): void;
  /**
   * The link to the leader went away: every subscription it delivered is void (the leader sends those
   * still wanted again once the link is back).
   */
  lost(): void;
}

/**
 * A node's log link to the leader's broker: subscriptions flow down, log lines flow up. Across nodes it
 * is the dispatcher's ListenLogSubscriptions stream and PublishLogs calls; on the leader, a direct line.
 */
export interface LogChannel {
  /** Delivers the subscriptions meant for this node until the returned function is called. */
  listenLogs(subscriber: LogSubscriber): () => void;
  /** Publishes a batch. Rejects when the leader refuses it (e.g. the subscription is over) or is unreachable. */
  publishLogs(publication: LogPublication): Promise<void>;
}

/** A task whose lines a `ServiceLogs` stream carries: what the caller needs to name it. */
export interface LogTaskContext {
  readonly taskId: string;
  /** `<service>.<slot>`, or `<service>.<node id>` for a global service's task. */
  readonly name: string;
  readonly nodeId: string;
  /** The node's hostname. */
  readonly node: string;
}

/** A node whose logs are missing from a `ServiceLogs` stream, and why. */
export interface IncompleteLogs {
  readonly nodeId: string;
  /** The node's hostname (its id when the cluster no longer has it). */
  readonly node: string;
  readonly reason: string;
}

/**
 * One message of a `ServiceLogs` stream. A task's context comes before its first line; lines of one task
 * come in the order it wrote them.
 */
export interface LogStreamMessage {
  readonly tasks?: readonly LogTaskContext[];
  readonly messages?: readonly LogMessage[];
  readonly incomplete?: readonly IncompleteLogs[];
}
