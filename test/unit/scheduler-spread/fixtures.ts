import type { Hooks } from '../../../core/hooks';
import type { Node, Task } from '../../../core/model/types';
import type { Scheduler, SchedulingDecision } from '../../../core/scheduler/contract';
import { buildNodeInfos } from '../../../core/scheduler/node-info';
import { testKernel } from '../../../core/testing/plugin-harness';
import { Tokens } from '../../../core/tokens';
import filters from '../../../plugins/scheduler-filters';
import plugin from '../../../plugins/scheduler-spread';

export { CPU, GB, makeNode, makeTask, makeTasks, type NodeOptions, type TaskOptions } from '../../../core/testing/builders';
import { makeTask } from '../../../core/testing/builders';

/** A RUNNING task of `serviceId` on `nodeId`. */
export function running(id: string, nodeId: string, serviceId = 'svc'): Task {
  return makeTask(id, { nodeId, serviceId, state: 'running' });
}

/** Schedules `tasks` as one group on `nodes`, with `existing` tasks already placed. */
export function scheduleOn(scheduler: Scheduler, tasks: readonly Task[], nodes: readonly Node[], existing: readonly Task[] = []): SchedulingDecision[] {
  return scheduler.scheduleGroup(tasks, buildNodeInfos(nodes, existing));
}

/** A kernel with the scheduler-spread plugin (and the scheduler-filters it depends on) applied. */
export async function bootPlugin(): Promise<{ hooks: Hooks; scheduler: Scheduler }> {
  const { hooks, resolve } = await testKernel(plugin, { with: [filters] });
  return { hooks, scheduler: resolve(Tokens.Scheduler) };
}

/** Node id of each placed task, by task id (pending tasks are left out). */
export function placements(decisions: readonly SchedulingDecision[]): Map<string, string> {
  return new Map(decisions.flatMap((d) => (d.nodeId === undefined ? [] : [[d.taskId, d.nodeId] as const])));
}

/** Number of placed tasks per node id. */
export function countPerNode(decisions: readonly SchedulingDecision[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const nodeId of placements(decisions).values()) counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
  return counts;
}

/** Why a task was left pending; undefined when it was placed. */
export function reasonOf(d: SchedulingDecision): string | undefined {
  return d.nodeId === undefined ? d.reason : undefined;
}
