import type { Logger } from 'pino';
import type { Hooks } from '../hooks';
import type { Task } from '../model/types';
import type { ClusterStore } from '../store/contract';

/** Calls `hooks.task.transition` for every committed change of a task's observed state. Returns a stop function. */
export function emitTaskTransitions(store: ClusterStore, hooks: Hooks, log: Logger): () => void {
  if (hooks.task.transition.taps.length === 0) return () => {};
  return store.watch((events) => {
    for (const e of events) {
      if (e.table !== 'tasks' || e.kind === 'delete') continue;
      const task = e.object as Task;
      const from = (e.previous as Task | undefined)?.status.state;
      if (from === task.status.state) continue;
      hooks.task.transition.promise({ task, from, to: task.status.state }).catch((err) => log.warn({ task: task.id, err: (err as Error).message }, 'task.transition tap failed'));
    }
  });
}
