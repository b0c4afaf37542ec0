import type { Labels, Task } from '../../core/model/types';
import { shortId } from '../../core/model/ids';

/** Labels orch puts on every container it makes; they tie the container to one task and one node. */
export const ORCH_LABELS = {
  nodeId: 'orch.node.id',
  taskId: 'orch.task.id',
  serviceId: 'orch.service.id',
  serviceName: 'orch.service.name',
  slot: 'orch.slot',
  /** The host address its exposed ports are bound on (where other nodes reach them). */
  exposeAddress: 'orch.expose.addr',
} as const;

/** Docker container names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; anything else becomes `-`. */
function nameSafe(part: string): string {
  return part.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/**
 * The container name of a task: `orch-<service>.<slot>.<taskId>` for replicated services and
 * `orch-<service>.<short node id>.<taskId>` for global ones, as swarm mode names them.
 */
export function containerName(task: Task, nodeId: string): string {
  const slotOrNode = task.slot !== undefined ? String(task.slot) : shortId(nodeId);
  return ['orch-' + task.serviceName, slotOrNode, task.id].map(nameSafe).join('.');
}

/** The container's labels: the spec's own, then orch's (which a spec cannot override). */
export function containerLabels(task: Task, nodeId: string, exposeAddress?: string): Record<string, string> {
  return {
    ...(exposeAddress !== undefined ? { [ORCH_LABELS.exposeAddress]: exposeAddress } : {}),
    ...task.spec.container.labels,
    [ORCH_LABELS.nodeId]: nodeId,
    [ORCH_LABELS.taskId]: task.id,
    [ORCH_LABELS.serviceId]: task.serviceId,
    [ORCH_LABELS.serviceName]: task.serviceName,
    ...(task.slot !== undefined ? { [ORCH_LABELS.slot]: String(task.slot) } : {}),
  };
}

/** A Docker `label` filter value, e.g. `orch.node.id=abc`. */
export function labelFilter(key: string, value: string): string {
  return `${key}=${value}`;
}

/** The task id a container was labelled with, if it is an orch container. */
export function taskIdOf(labels: Labels | undefined): string | undefined {
  return labels?.[ORCH_LABELS.taskId];
}
