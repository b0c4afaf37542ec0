import { NotFoundError, OrchError } from '../errors';
import { newId } from '../model/ids';
import type { LogOptions } from '../runtime/contract';
import type { LogMessage, LogPublication, LogSubscription } from './contract';
import { SubscriptionState } from './subscription-state';

/** Where a subscription's lines and problems go (a `ServiceLogs` call). */
export interface LogSink {
  /** Lines `nodeId` published, in its order. */
  messages(nodeId: string, messages: readonly LogMessage[]): void;
  /** Some of `nodeId`'s logs are missing, and why. */
  incomplete(nodeId: string, reason: string): void;
  /** The subscription is over: complete (without `err`), or the broker stopped. Called once. */
  end(err?: OrchError): void;
}

/** A subscription as its caller holds it. */
export interface BrokerSubscription {
  /** Asks `nodeId` for the logs of tasks that started since (follow): all their lines. */
  add(nodeId: string, taskIds: readonly string[]): void;
  /** Ends the subscription (the caller went away); the nodes stop streaming. */
  close(): void;
}

/** Sends a subscription message to one node. */
export type SubscriptionListener = (s: LogSubscription) => void;

interface Active {
  readonly state: SubscriptionState;
  readonly sink: LogSink;
}

/** Options a node re-streams a follow subscription with after its link came back: new lines only. */
const RESUME: LogOptions = { follow: true, tail: 0 };

/**
 * The leader's log broker (SwarmKit's, adapted): hands each node the subscriptions that name its tasks,
 * relays what nodes publish to the subscription's caller, and ends a subscription without follow once
 * every node has closed its part or is known to be unavailable. Only messages of subscriptions sent to
 * the publishing node, for tasks it was asked for, are accepted. No I/O: nodes are reached through the
 * listener each registers (its ListenLogSubscriptions stream, or the leader's own agent directly).
 *
 * It serves between `start` and `stop` (the terms in which this manager leads); node listeners stay.
 */
export class LogBroker {
  private readonly listeners = new Map<string, SubscriptionListener>();
  private readonly active = new Map<string, Active>();
  private running = false;

  start(): void {
    this.running = true;
  }

  /** Ends every subscription with an error: their callers must reach the next leader. */
  stop(): void {
    this.running = false;
    for (const [id, a] of [...this.active]) {
      this.close(id);
      a.sink.end(new OrchError('unavailable', 'the leader stepped down while streaming logs: run the command again'));
    }
  }

  /**
   * Registers how to reach `nodeId`, replacing its previous listener (whose subscriptions are lost), and
   * sends it the follow subscriptions that name its tasks. Returns the function that unregisters it.
   */
  listen(nodeId: string, listener: SubscriptionListener): () => void {
    if (this.listeners.has(nodeId)) this.lost(nodeId, "the node re-opened its log stream: lines in between may be missing");
    this.listeners.set(nodeId, listener);
    for (const { state } of this.active.values()) {
      if (state.options.follow && state.isOpen(nodeId)) listener({ id: state.id, taskIds: state.tasksOf(nodeId), options: RESUME });
    }
    return () => {
      if (this.listeners.get(nodeId) !== listener) return;
      this.listeners.delete(nodeId);
      this.lost(nodeId, "the node's log stream to the leader ended");
    };
  }

  /**
   * Subscribes to the logs of `tasksByNode` (node id → task ids). A node that is not connected is
   * reported incomplete at once (and, with follow, asked once it connects).
   * @throws OrchError `unavailable` when this manager does not lead
   */
  subscribe(tasksByNode: ReadonlyMap<string, readonly string[]>, options: LogOptions, sink: LogSink): BrokerSubscription {
    if (!this.running) throw new OrchError('unavailable', 'this manager does not lead the cluster: logs are served by the leader');
    const a: Active = { state: new SubscriptionState(newId(), options), sink };
    this.active.set(a.state.id, a);
    for (const [nodeId, taskIds] of tasksByNode) this.ask(a, nodeId, taskIds, options);
    this.completeIfDone(a);
    const later: LogOptions = { follow: options.follow, ...(options.sinceMs !== undefined && { sinceMs: options.sinceMs }) };
    return {
      add: (nodeId, taskIds) => {
        if (this.active.get(a.state.id) === a) this.ask(a, nodeId, taskIds, later);
      },
      close: () => this.close(a.state.id),
    };
  }

  /**
   * Takes a batch `nodeId` published.
   * @throws NotFoundError when the subscription is over (for this node); OrchError `permission-denied`
   * when it was never sent to this node or a message is for a task the node was not asked for
   */
  publish(nodeId: string, p: LogPublication): void {
    const a = this.active.get(p.subscriptionId);
    if (a && !a.state.involves(nodeId)) throw new OrchError('permission-denied', `log subscription ${p.subscriptionId} was not sent to this node`, 'subscriptionId');
    if (!a || !a.state.isOpen(nodeId)) throw new NotFoundError('log subscription', p.subscriptionId);
    p.messages.forEach((m, i) => {
      if (!a.state.asked(nodeId, m.taskId)) throw new OrchError('permission-denied', `task ${m.taskId} is not one this node was asked for`, `messages[${i}].taskId`);
    });
    if (p.messages.length > 0) a.sink.messages(nodeId, p.messages);
    if (p.error !== undefined) a.sink.incomplete(nodeId, p.error);
    if (p.close) {
      a.state.settle(nodeId);
      this.completeIfDone(a);
    }
  }

  /** Asks `nodeId` for the tasks of `taskIds` it was not asked for yet. */
  private ask(a: Active, nodeId: string, taskIds: readonly string[], options: LogOptions): void {
    const fresh = a.state.add(nodeId, taskIds);
    if (fresh.length === 0) return;
    const listener = this.listeners.get(nodeId);
    if (listener) {
      listener({ id: a.state.id, taskIds: fresh, options });
      return;
    }
    a.sink.incomplete(nodeId, 'the node is not connected to the leader (down or unreachable)');
    if (!options.follow) a.state.settle(nodeId);
  }

  /** `nodeId`'s link went away: its open parts are incomplete; without follow, they are done. */
  private lost(nodeId: string, reason: string): void {
    for (const a of [...this.active.values()]) {
      if (!a.state.isOpen(nodeId)) continue;
      a.sink.incomplete(nodeId, reason);
      if (a.state.options.follow) continue;
      a.state.settle(nodeId);
      this.completeIfDone(a);
    }
  }

  private completeIfDone(a: Active): void {
    if (!a.state.complete || this.active.get(a.state.id) !== a) return;
    this.active.delete(a.state.id);
    a.sink.end();
  }

  /** Drops a subscription and tells the nodes still streaming it to stop. */
  private close(id: string): void {
    const a = this.active.get(id);
    if (!a) return;
    this.active.delete(id);
    for (const nodeId of a.state.openNodes()) this.listeners.get(nodeId)?.({ id, taskIds: [], options: a.state.options, close: true });
  }
}
