import type { Task } from '../../core/model/types';

/** Start of the scheduler's PENDING message when no node fits, as in swarm mode (`no suitable node (…)`). */
const NO_NODE = 'no suitable node';

/** Upper-cases the first letter, as docker shows states (`running` → `Running`). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What is wrong with a task, if anything: its error, or why the scheduler cannot place it
 * (the PENDING message `no suitable node (…)`).
 */
export function taskProblem(task: Task): string | undefined {
  if (task.status.err) return task.status.err;
  if (task.status.state === 'pending' && task.status.message.startsWith(NO_NODE)) return task.status.message;
  return undefined;
}

/** Newest first (by creation time, then id, for a stable order). */
export function newestFirst(a: Task, b: Task): number {
  return b.meta.createdAt.localeCompare(a.meta.createdAt) || b.id.localeCompare(a.id);
}
