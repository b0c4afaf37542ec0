import type { Task } from '../../core/model/types';

/** Upper-cases the first letter, as docker shows states (`running` → `Running`). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What is wrong with a task, if anything: why it failed, or why the scheduler cannot place it (`no suitable node (…)`). */
export function taskProblem(task: Task): string | undefined {
  return task.status.err || undefined;
}

/** Newest first (by creation time, then id, for a stable order). */
export function newestFirst(a: Task, b: Task): number {
  return b.meta.createdAt.localeCompare(a.meta.createdAt) || b.id.localeCompare(a.id);
}
