import pino from 'pino';
import { Kernel } from '../../../core/kernel';
import type { Hooks } from '../../../core/hooks';
import type { DesiredState, TaskState } from '../../../core/model/task-state';
import type { Node, PortConfig, Task } from '../../../core/model/types';
import type { Scheduler, SchedulingDecision } from '../../../core/scheduler/contract';
import { buildNodeInfos } from '../../../core/scheduler/node-info';
import { Tokens } from '../../../core/tokens';
import plugin from '../../../plugins/scheduler-spread';

export { CPU, GB, makeNode, type NodeOptions } from '../../helpers/nodes';
import { CPU, META } from '../../helpers/nodes';

export interface TaskOptions {
  serviceId?: string;
  nodeId?: string;
  state?: TaskState;
  desired?: DesiredState;
  cpus?: number;
  memoryBytes?: number;
  constraints?: readonly string[];
  /** Attributes to spread over, outermost first (`node.labels.zone`). */
  preferences?: readonly string[];
  maxReplicasPerNode?: number;
  /** Published ports in host mode (tcp). */
  hostPorts?: readonly number[];
}

/** A PENDING task of service `svc` wanting to run, reserving nothing, unless told otherwise. */
export function makeTask(id: string, o: TaskOptions = {}): Task {
  const ports: PortConfig[] = (o.hostPorts ?? []).map((p) => ({ protocol: 'tcp', targetPort: 80, publishedPort: p, publishMode: 'host' }));
  return {
    id,
    meta: META,
    serviceId: o.serviceId ?? 'svc',
    serviceName: o.serviceId ?? 'svc',
    nodeId: o.nodeId,
    specVersion: 1,
    spec: {
      container: { image: 'busybox', args: [], env: [], labels: {}, stopGracePeriodMs: 10_000 },
      resources: { limits: {}, reservations: { nanoCpus: o.cpus === undefined ? undefined : o.cpus * CPU, memoryBytes: o.memoryBytes } },
      restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
      placement: {
        constraints: o.constraints ?? [],
        preferences: (o.preferences ?? []).map((spread) => ({ spread })),
        maxReplicasPerNode: o.maxReplicasPerNode ?? 0,
      },
    },
    ports,
    desiredState: o.desired ?? 'running',
    status: { state: o.state ?? 'pending', timestamp: META.createdAt, message: '' },
    restartHistory: [],
  };
}

/** `n` tasks `prefix-1` … `prefix-n` with the same options (one scheduling group). */
export function makeTasks(prefix: string, n: number, o: TaskOptions = {}): Task[] {
  return Array.from({ length: n }, (_, i) => makeTask(`${prefix}-${i + 1}`, o));
}

/** A RUNNING task of `serviceId` on `nodeId`. */
export function running(id: string, nodeId: string, serviceId = 'svc'): Task {
  return makeTask(id, { nodeId, serviceId, state: 'running' });
}

/** Schedules `tasks` as one group on `nodes`, with `existing` tasks already placed. */
export function scheduleOn(scheduler: Scheduler, tasks: readonly Task[], nodes: readonly Node[], existing: readonly Task[] = []): SchedulingDecision[] {
  return scheduler.scheduleGroup(tasks, buildNodeInfos(nodes, existing));
}

/** A kernel with the scheduler-spread plugin applied. */
export async function bootPlugin(): Promise<{ hooks: Hooks; scheduler: Scheduler }> {
  const kernel = new Kernel(
    { dataDir: '', nodeId: 'n0', role: 'manager', advertiseAddr: '127.0.0.1', listenAddr: '127.0.0.1:0' },
    pino({ enabled: false }),
  );
  await kernel.use([plugin]);
  return { hooks: kernel.hooks, scheduler: kernel.container.resolve(Tokens.Scheduler) };
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
