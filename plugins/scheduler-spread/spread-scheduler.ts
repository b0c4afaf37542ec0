import type { Hooks } from '../../core/hooks';
import type { Task } from '../../core/model/types';
import type { NodeInfo, Scheduler, SchedulingDecision } from '../../core/scheduler/contract';
import { CandidatePool } from './candidate-pool';
import { PreferenceTree } from './preference-tree';

/**
 * Swarm mode's scheduler: filter → score → pick, through the kernel's `scheduler.filter` and
 * `scheduler.score` hooks, so other plugins' filters and scores take part. With the spread score each
 * task goes to the node with the fewest tasks of its service, then the fewest tasks overall; equal
 * nodes are taken in node id order. A service with placement preferences first evens its tasks out
 * across the values of each preference's attribute (see `PreferenceTree`). Pure: it only updates the
 * NodeInfos it is given.
 */
export class SpreadScheduler implements Scheduler {
  readonly name = 'spread';

  constructor(private readonly hooks: Hooks) {}

  /**
   * Places a group of tasks sharing a service and spec version in one batch. A task with a preset
   * `nodeId` (a global service's) can only go to that node, if the filters admit it; those are placed
   * first, ignoring preferences. The others share one candidate pool, or one preference tree when the
   * service has preferences (only then is the tree built). Decisions come back in the order of `tasks`.
   */
  scheduleGroup(tasks: readonly Task[], nodes: readonly NodeInfo[]): SchedulingDecision[] {
    const decisions = new Array<SchedulingDecision>(tasks.length);
    const unpinned: number[] = [];
    let byId: ReadonlyMap<string, NodeInfo> | undefined;
    tasks.forEach((task, i) => {
      if (task.nodeId === undefined) {
        unpinned.push(i);
        return;
      }
      byId ??= new Map(nodes.map((n) => [n.node.id, n]));
      const pinned = byId.get(task.nodeId);
      decisions[i] = new CandidatePool(this.hooks, task, pinned ? [pinned] : []).place(task);
    });
    if (unpinned.length > 0) {
      const sample = tasks[unpinned[0]];
      const placer =
        sample.spec.placement.preferences.length === 0 ? new CandidatePool(this.hooks, sample, nodes) : new PreferenceTree(this.hooks, sample, nodes);
      for (const i of unpinned) decisions[i] = placer.place(tasks[i]);
    }
    return decisions;
  }
}
