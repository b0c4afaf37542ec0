import type { OrchError } from '../errors';
import type { Task } from '../model/types';
import type { ChangeEvent, ClusterStore } from '../store/contract';
import type { LogBroker } from './broker';
import type { LogStreamMessage } from './contract';
import { byNode, hasLogs, logTaskContext, nodeName, resolveLogTarget, targetTasks, type LogTarget } from './log-target';

/** A `ServiceLogs` call once checked. */
export interface ServiceLogsQuery {
  /** A service (id, name, id prefix) or a task (id, id prefix). */
  readonly ref: string;
  readonly follow: boolean;
  /** Lines per task already written to send (all when unset). */
  readonly tail?: number;
  /** Only lines written from then on (epoch milliseconds). */
  readonly sinceMs?: number;
}

/** Where a `ServiceLogs` call's messages go. */
export interface ServiceLogsSink {
  write(m: LogStreamMessage): void;
  /** The stream is over: complete (without `err`) or failed. Called at most once. */
  end(err?: OrchError): void;
}

/**
 * Serves one `ServiceLogs` call on the leader: resolves the target's tasks that have logs, names them,
 * subscribes through the broker (each node gets its own tasks), and relays lines and missing nodes to
 * `sink`. Without follow the call ends once every node delivered its part. With follow it also watches the
 * store and adds each task of the target that gets a container later (a restart, a scale-up), with all its
 * lines, until the target is removed or the returned function is called.
 * @throws NotFoundError when `ref` names no service or task; OrchError `unavailable` when this manager
 * does not lead
 */
export function streamServiceLogs(store: ClusterStore, broker: LogBroker, q: ServiceLogsQuery, sink: ServiceLogsSink): () => void {
  return store.view((r) => {
    const target = resolveLogTarget(r, q.ref);
    const tasks = targetTasks(r, target);
    const included = new Set(tasks.map((t) => t.id));
    let ended = false;
    let unwatch = () => {};
    const end = (err?: OrchError) => {
      if (ended) return;
      ended = true;
      unwatch();
      sink.end(err);
    };
    if (tasks.length > 0) sink.write({ tasks: tasks.map((t) => logTaskContext(r, t)) });
    const subscription = broker.subscribe(byNode(tasks), { follow: q.follow, ...(q.tail !== undefined && { tail: q.tail }), ...(q.sinceMs !== undefined && { sinceMs: q.sinceMs }) }, {
      messages: (_nodeId, messages) => sink.write({ messages }),
      incomplete: (nodeId, reason) => sink.write({ incomplete: [{ nodeId, node: store.view((v) => nodeName(v, nodeId)), reason }] }),
      end,
    });
    if (q.follow && !ended) {
      unwatch = store.watch((events) => {
        if (events.some((e) => removesTarget(e, target))) {
          subscription.close();
          end();
          return;
        }
        for (const t of startedTasks(events, target)) {
          if (included.has(t.id)) continue;
          included.add(t.id);
          sink.write({ tasks: [store.view((v) => logTaskContext(v, t))] });
          subscription.add(t.nodeId, [t.id]);
        }
      }, r.version);
    }
    return () => {
      if (ended) return;
      ended = true;
      unwatch();
      subscription.close();
    };
  });
}

/** Tasks of `target` that have logs, as `events` leave them. */
function startedTasks(events: readonly ChangeEvent[], target: LogTarget): (Task & { nodeId: string })[] {
  return events
    .filter((e) => e.table === 'tasks' && e.kind !== 'delete')
    .map((e) => e.object as Task)
    .filter((t): t is Task & { nodeId: string } => target.matches(t) && hasLogs(t));
}

/** True when `e` deletes the target. */
function removesTarget(e: ChangeEvent, target: LogTarget): boolean {
  return e.kind === 'delete' && ((e.table === 'services' && e.object.id === target.serviceId) || (e.table === 'tasks' && e.object.id === target.taskId));
}
