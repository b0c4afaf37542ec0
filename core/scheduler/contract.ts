import type { Node, Resources, Task } from '../model/types';

/**
 * A node as the scheduler sees it during one scheduling pass: the node plus what is already placed on it.
 * The scheduler updates it (`place`) as it assigns tasks, so later decisions in the same batch see earlier ones.
 */
export interface NodeInfo {
  readonly node: Node;
  /** Tasks that hold the node's resources: assigned to it and not yet stopped (ASSIGNED through RUNNING). */
  readonly activeTasks: number;
  /** Active tasks per service id. */
  readonly tasksByService: ReadonlyMap<string, number>;
  /** Sum of reservations of active tasks. */
  readonly reserved: Resources;
  /** Host ports in use on the node, as `tcp/8080`. */
  readonly usedHostPorts: ReadonlySet<string>;
  /** Node resources minus reservations. */
  readonly available: Resources;
  /** Records that `task` is placed here. */
  place(task: Task): void;
}

/** Why a filter turned a node down. `explanation` is counted across nodes for the PENDING message. */
export interface FilterRejection {
  /** Short name of the filter, e.g. `constraint`. */
  readonly filter: string;
  /** Phrase that reads after "no suitable node (… on N nodes)", e.g. `constraint not met`. */
  readonly explanation: string;
}

/** One decision for one task. */
export type SchedulingDecision =
  | { readonly taskId: string; readonly nodeId: string }
  | { readonly taskId: string; readonly nodeId?: undefined; readonly reason: string };

/**
 * Scheduler provider (token `Tokens.Scheduler`): decides where pending tasks run. The kernel's scheduler
 * loop gathers pending tasks, groups them (same service and spec version), builds the NodeInfos and writes
 * the decisions. A scheduler must be pure: no I/O, no store access.
 */
export interface Scheduler {
  readonly name: string;
  /** Places a group of tasks that share a service and spec version. Returns one decision per task. */
  scheduleGroup(tasks: readonly Task[], nodes: readonly NodeInfo[]): SchedulingDecision[];
}
