import type { Task } from '../model/types';
import { canTransition } from '../model/task-state';
import type { ClusterStore } from '../store/contract';
import type { AgentSession, AssignmentChange, StatusUpdate } from './contract';

/** An AgentSession for an agent that runs in the same process as the manager's store. */
export class LocalSession implements AgentSession {
  constructor(
    private readonly store: ClusterStore,
    private readonly nodeId: string,
  ) {}

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    let unwatch: () => void = () => {};
    this.store.view((r) => {
      onChange({ full: true, tasks: r.tasks.byNode(this.nodeId), removed: [] });
      unwatch = this.store.watch((events) => {
        const tasks: Task[] = [];
        const removed: string[] = [];
        for (const e of events) {
          if (e.table !== 'tasks') continue;
          const t = e.object as Task;
          const mine = t.nodeId === this.nodeId;
          if (e.kind === 'delete') {
            if (mine) removed.push(t.id);
          } else if (mine) tasks.push(t);
          else if ((e.previous as Task | undefined)?.nodeId === this.nodeId) removed.push(t.id);
        }
        if (tasks.length > 0 || removed.length > 0) onChange({ full: false, tasks, removed });
      }, r.version);
    });
    return () => unwatch();
  }

  async report(updates: readonly StatusUpdate[]): Promise<void> {
    await this.store.update((tx) => {
      for (const u of updates) {
        const t = tx.tasks.get(u.taskId);
        if (!t || t.nodeId !== this.nodeId || !canTransition(t.status.state, u.status.state)) continue;
        tx.tasks.update({ ...t, status: u.status });
      }
    });
  }
}
