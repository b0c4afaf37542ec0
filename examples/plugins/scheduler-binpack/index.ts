import type { Plugin } from '../../../core/kernel';
import type { Hooks } from '../../../core/hooks';
import type { Task } from '../../../core/model/types';
import type { NodeInfo, Scheduler, SchedulingDecision } from '../../../core/scheduler/contract';
import { Tokens } from '../../../core/tokens';

/** How full a node is: its tasks, then the memory and CPU they reserve. */
const fullness = (n: NodeInfo) => [n.activeTasks, n.reserved.memoryBytes ?? 0, n.reserved.nanoCpus ?? 0];

/** True when node `a` is fuller than node `b` (ties: the lower node id, so decisions are stable). */
function fuller(a: NodeInfo, b: NodeInfo): boolean {
  const [x, y] = [fullness(a), fullness(b)];
  const i = x.findIndex((v, k) => v !== y[k]);
  return i >= 0 ? x[i] > y[i] : a.node.id < b.node.id;
}

/**
 * A bin-packing scheduler: each task goes to the fullest node that still admits it, so a cluster fills one
 * node before the next (spare nodes stay empty, to be scaled down or kept for big tasks). The filters come
 * from `scheduler-filters` through the `scheduler.filter` hook: readiness, resources, constraints, ports.
 */
export class BinpackScheduler implements Scheduler {
  readonly name = 'binpack';

  constructor(private readonly hooks: Hooks) {}

  scheduleGroup(tasks: readonly Task[], nodes: readonly NodeInfo[]): SchedulingDecision[] {
    return tasks.map((task) => {
      const why = new Map<string, number>();
      let best: NodeInfo | undefined;
      for (const n of nodes) {
        if (task.nodeId !== undefined && n.node.id !== task.nodeId) continue;
        const no = this.hooks.scheduler.filter.call(task, n);
        if (no) why.set(no.explanation, (why.get(no.explanation) ?? 0) + 1);
        else if (!best || fuller(n, best)) best = n;
      }
      if (!best) return { taskId: task.id, reason: `no suitable node (${[...why].map(([e, c]) => `${e} on ${c} node${c === 1 ? '' : 's'}`).join('; ') || 'no nodes available'})` };
      best.place(task);
      return { taskId: task.id, nodeId: best.node.id };
    });
  }
}

/** Load with `"plugins": [".../scheduler-binpack"], "disable": ["scheduler-spread"]` in the data dir's orch.json. */
const binpack: Plugin = {
  name: 'scheduler-binpack',
  version: '1.0.0',
  kernel: '^1.0',
  dependsOn: ['scheduler-filters'],
  provides: ['Scheduler'],
  apply(kernel) {
    kernel.provide(Tokens.Scheduler, new BinpackScheduler(kernel.hooks));
  },
};

export default binpack;
