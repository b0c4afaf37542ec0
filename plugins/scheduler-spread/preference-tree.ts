import type { Hooks } from '../../core/hooks';
import type { Task } from '../../core/model/types';
import type { NodeInfo, SchedulingDecision } from '../../core/scheduler/contract';
import { lookupConstraintValue } from '../../core/scheduler/constraint-lookup';
import { CandidatePool } from './candidate-pool';
import { Heap } from './heap';
import { decide } from './pending-reason';

/** What every branch of the tree has. */
interface BranchBase {
  /** The value of its preference's attribute on the branch's nodes; undefined for nodes lacking it. */
  readonly value: string | undefined;
  /** Active tasks of the group's service on the branch's nodes, including those placed in this batch. */
  tasks: number;
}

/** A branch split by the next preference: its sub-branches that may still have room, fewest tasks first. */
interface Inner extends BranchBase {
  readonly branches: Heap<Branch>;
}

/** A branch past the last preference: its nodes, picked among by the filters and scores. */
interface Leaf extends BranchBase {
  readonly pool: CandidatePool;
}

type Branch = Inner | Leaf;

/** Values in order, a missing value last; so ties between branches do not depend on the order of the nodes. */
function valueBefore(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && (b === undefined || a < b);
}

/** Fewer tasks of the service first; equal counts by value. */
const fewerTasks = (a: Branch, b: Branch): boolean => a.tasks < b.tasks || (a.tasks === b.tasks && valueBefore(a.value, b.value));

/**
 * Swarm mode's placement preferences for one group of like tasks (`spread=node.labels.zone`, outermost
 * first). The nodes form a tree: the root's branches group them by the value of the first preference's
 * attribute (read with `lookupConstraintValue`; nodes lacking it form a branch of their own), each of
 * those by the second preference's value, and so on; a leaf holds a `CandidatePool` of its nodes. Every
 * branch counts the service's active tasks on its nodes, filtered out or not, as swarm mode does.
 *
 * Each task goes down the tree level by level, at each level into the branch with the fewest tasks of
 * the service (ties by value), and within the leaf to the best node by the usual filter and score. So
 * every branch ends up with an even share of the service's tasks, counting those already there: a
 * branch above its share gets none until the others catch up, as in swarm mode's split of a group across
 * branches. A leaf whose nodes no longer admit the tasks is full for the rest of the group (the tasks
 * share one spec), and is dropped, as is a branch with every sub-branch dropped; the tasks then even out
 * over the branches that are left. One filter and one score call per node builds the tree; a placement
 * then costs a heap update per level on top of the leaf's.
 */
export class PreferenceTree {
  /** Nodes turned down, per filter explanation, over every leaf: each node is in one leaf. */
  private readonly rejections = new Map<string, number>();
  private readonly root: Branch;

  /** @param sample any task of the group: the tree follows its service's preferences, filters and scores. */
  constructor(
    private readonly hooks: Hooks,
    private readonly sample: Task,
    nodes: readonly NodeInfo[],
  ) {
    this.root = this.branch(undefined, nodes, 0);
  }

  /** Places `task` in the emptiest branches, level by level, or says why no node admits it. */
  place(task: Task): SchedulingDecision {
    return decide(task, placeIn(this.root, task), this.rejections);
  }

  /** The branch of `nodes` (which share `value` at the level above), split by the preferences from `level` on. */
  private branch(value: string | undefined, nodes: readonly NodeInfo[], level: number): Branch {
    const { preferences } = this.sample.spec.placement;
    if (level === preferences.length) {
      const tasks = nodes.reduce((sum, info) => sum + (info.tasksByService.get(this.sample.serviceId) ?? 0), 0);
      return { value, tasks, pool: new CandidatePool(this.hooks, this.sample, nodes, this.rejections) };
    }
    const key = preferences[level].spread;
    const groups = new Map<string | undefined, NodeInfo[]>();
    for (const info of nodes) {
      const v = lookupConstraintValue(this.hooks, info.node, key).value;
      const group = groups.get(v);
      if (group) group.push(info);
      else groups.set(v, [info]);
    }
    const branches = [...groups].map(([v, group]) => this.branch(v, group, level + 1));
    return { value, tasks: branches.reduce((sum, b) => sum + b.tasks, 0), branches: new Heap(branches, fewerTasks) };
  }
}

/**
 * Places `task` in `branch`: at a leaf on its pool's best node, else in its emptiest sub-branch with room.
 * @returns the node's id, or undefined when the branch is full.
 */
function placeIn(branch: Branch, task: Task): string | undefined {
  const nodeId = 'pool' in branch ? branch.pool.take(task) : placeInEmptiest(branch.branches, task);
  if (nodeId !== undefined) branch.tasks++;
  return nodeId;
}

/** Places `task` in the first of `branches` with room, dropping those found full on the way. */
function placeInEmptiest(branches: Heap<Branch>, task: Task): string | undefined {
  for (let next = branches.peek(); next; next = branches.peek()) {
    const nodeId = placeIn(next, task);
    if (nodeId !== undefined) {
      branches.topChanged();
      return nodeId;
    }
    branches.pop();
  }
  return undefined;
}
