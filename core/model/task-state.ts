/**
 * Task states, ordered as in swarm mode. An observed state only moves forward:
 * a task never returns to an earlier state. Managers set NEW, PENDING, ASSIGNED
 * (and REJECTED, ORPHANED); agents set the rest.
 */
export const TASK_STATES = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove',
  'orphaned',
] as const;

/** Observed state of a task. */
export type TaskState = (typeof TASK_STATES)[number];

/** What the orchestrators want a task to be. */
export type DesiredState = 'running' | 'ready' | 'shutdown' | 'remove';

const RANK: ReadonlyMap<TaskState, number> = new Map(TASK_STATES.map((s, i) => [s, i]));

/** Position of a state in the forward order. */
export function stateRank(state: TaskState): number {
  const rank = RANK.get(state);
  if (rank === undefined) throw new Error(`unknown task state "${state}"`);
  return rank;
}

/** True when `to` is strictly later than `from`: the only moves a task may make. */
export function canTransition(from: TaskState, to: TaskState): boolean {
  return stateRank(to) > stateRank(from);
}

/** True once a task has stopped for good (COMPLETE or any later state). */
export function isTerminal(state: TaskState): boolean {
  return stateRank(state) >= stateRank('complete');
}

/** True for a task whose process is, or is about to be, alive: assigned up to running. */
export function isActive(state: TaskState): boolean {
  return stateRank(state) >= stateRank('assigned') && stateRank(state) <= stateRank('running');
}

/** True when `desired` asks a task to run (or to be held ready before running). */
export function wantsToRun(desired: DesiredState): boolean {
  return desired === 'running' || desired === 'ready';
}

/**
 * Checks a proposed state change.
 * @returns an error message naming both states when the move goes backwards, else undefined.
 */
export function explainTransition(from: TaskState, to: TaskState): string | undefined {
  if (canTransition(from, to)) return undefined;
  return `task state cannot move from ${from} to ${to}: states only move forward (${TASK_STATES.join(' < ')})`;
}
