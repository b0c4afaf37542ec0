import type { Hooks } from '../../core/hooks';
import type { Task } from '../../core/model/types';
import type { NodeInfo } from '../../core/scheduler/contract';
import { PLUGIN_NAME } from './name';

/** Weight of one task of the same service against one task of any service: service spread comes first. */
export const SERVICE_WEIGHT = 1e6;

/**
 * Spread score: lowers the score by the node's load, so nodes with the fewest tasks of the task's service
 * rank first and, among those, nodes with the fewest tasks overall. Pure.
 */
export function spreadScore(score: number, task: Task, info: NodeInfo): number {
  return score - ((info.tasksByService.get(task.serviceId) ?? 0) * SERVICE_WEIGHT + info.activeTasks);
}

/** Taps `scheduler.score` with `spreadScore` (default stage). */
export function tapSpreadScore(hooks: Hooks): void {
  hooks.scheduler.score.tap(`${PLUGIN_NAME}:spread`, spreadScore);
}
