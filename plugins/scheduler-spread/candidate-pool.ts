import type { Hooks } from '../../core/hooks';
import type { Task } from '../../core/model/types';
import type { NodeInfo, SchedulingDecision } from '../../core/scheduler/contract';
import { Heap } from './heap';
import { decide } from './pending-reason';

interface Candidate {
  readonly info: NodeInfo;
  score: number;
}

/** Higher score first; equal scores by node id, so decisions do not depend on the order of the nodes. */
const before = (a: Candidate, b: Candidate): boolean => a.score > b.score || (a.score === b.score && a.info.node.id < b.info.node.id);

/**
 * The nodes a group of like tasks may go to, best first. Built with one filter and one score call per
 * node for the group; each placement then re-checks only the best node (earlier placements may have
 * used up its resources, ports or replica slots) and re-scores only the node it placed on. A node that
 * no longer admits the group's tasks is dropped for good: the tasks share one spec, and placing only
 * ever takes from a node.
 */
export class CandidatePool {
  private readonly heap: Heap<Candidate>;

  /**
   * @param sample any task of the group: the filters and scores see the group's shared spec through it.
   * @param rejections tally of nodes turned down, per filter explanation; pools over disjoint node sets
   *   may share one, so a PENDING message counts every node of the cluster.
   */
  constructor(
    private readonly hooks: Hooks,
    sample: Task,
    nodes: readonly NodeInfo[],
    private readonly rejections = new Map<string, number>(),
  ) {
    const candidates: Candidate[] = [];
    for (const info of nodes) {
      if (this.admits(sample, info)) candidates.push({ info, score: hooks.scheduler.score.call(0, sample, info) });
    }
    this.heap = new Heap(candidates, before);
  }

  /** Places `task` on the best node that still admits it, or says why none does. */
  place(task: Task): SchedulingDecision {
    return decide(task, this.take(task), this.rejections);
  }

  /**
   * Places `task` on the best node that still admits it.
   * @returns the node's id, or undefined when no node of the pool admits it (the rejections are tallied).
   */
  take(task: Task): string | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (this.admits(task, top.info)) {
        top.info.place(task);
        top.score = this.hooks.scheduler.score.call(0, task, top.info);
        this.heap.topChanged();
        return top.info.node.id;
      }
      this.heap.pop();
    }
    return undefined;
  }

  /** Runs the filters; tallies the rejection, if any. */
  private admits(task: Task, info: NodeInfo): boolean {
    const rejected = this.hooks.scheduler.filter.call(task, info);
    if (rejected) this.rejections.set(rejected.explanation, (this.rejections.get(rejected.explanation) ?? 0) + 1);
    return rejected === undefined;
  }
}
