import type { Task, TaskStatus } from '../model/types';
import type { RouteChange } from '../network/contract';

/** A status change an agent reports for one of its tasks. */
export interface StatusUpdate {
  readonly taskId: string;
  readonly status: TaskStatus;
}

/** What changed in a node's assignments. `full` means `tasks` is the complete set (sent first). */
export interface AssignmentChange {
  readonly full: boolean;
  /** Tasks assigned to the node that are new or changed (all of them when `full`). */
  readonly tasks: readonly Task[];
  /** Ids of tasks no longer assigned to the node (deleted from the store). */
  readonly removed: readonly string[];
  /** What changed in the routing state every node holds (complete with a complete set). */
  readonly routes?: RouteChange;
}

/**
 * An agent's link to the managers: assignments flow down, status flows up. In a single process it is
 * a view of the local store; across nodes it is the dispatcher's session stream.
 */
export interface AgentSession {
  /** Delivers the complete assignment set, then every change; returns a function that stops delivery. */
  subscribe(onChange: (change: AssignmentChange) => void): () => void;
  /**
   * Reports status changes. The manager applies only forward moves (see explainTransition) and ignores
   * updates for tasks it no longer has. Resolves once they are durable.
   */
  report(updates: readonly StatusUpdate[]): Promise<void>;
}
