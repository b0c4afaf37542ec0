import { arr, obj, oneOf, str, type Json } from '../model/check';
import { TASK_STATES, type DesiredState } from '../model/task-state';
import type { Task } from '../model/types';
import type { ClusterStore } from '../store/contract';
import type { ControlApi, TaskFilters } from './contract';
import { resolveRef } from './resolve';

const DESIRED: readonly DesiredState[] = ['running', 'ready', 'shutdown', 'remove'];

function parseFilters(v: Json): TaskFilters {
  const o = obj(v ?? {}, 'filters');
  const strings = (x: Json, f: string) => (x === undefined ? undefined : arr(x, f, (s, fi) => str(s, fi)));
  return {
    service: strings(o.service, 'filters.service'),
    node: strings(o.node, 'filters.node'),
    id: strings(o.id, 'filters.id'),
    name: strings(o.name, 'filters.name'),
    desiredState: o.desiredState === undefined ? undefined : arr(o.desiredState, 'filters.desired-state', (s, f) => oneOf(s, f, DESIRED)),
    state: o.state === undefined ? undefined : arr(o.state, 'filters.state', (s, f) => oneOf(s, f, TASK_STATES)),
  };
}

/** A task's name as docker shows it: `service.slot` or `service.nodeId` for global tasks. */
export function taskName(t: Task): string {
  return `${t.serviceName}.${t.slot ?? t.nodeId ?? ''}`;
}

/** Handler of TaskList (`service ps`). Service and node filters accept ids, prefixes and names. */
export function taskHandlers(store: Pick<ClusterStore, 'view'>) {
  const TaskList = async (req: Json): Promise<ControlApi['TaskList']['res']> => {
    const f = parseFilters(obj(req, 'request').filters);
    return store.view((r) => {
      const serviceIds = f.service?.map((ref) => resolveRef('service', ref, r.services.all(), (s) => s.spec.name).id);
      const nodeIds = f.node?.map((ref) => resolveRef('node', ref, r.nodes.all(), (n) => n.description.hostname).id);
      // Start from an index: a node's tasks (bounded by what fits on it), else a service's.
      const inServices = serviceIds && new Set(serviceIds);
      const onNodes = nodeIds && new Set(nodeIds);
      const candidates = onNodes ? [...onNodes].flatMap((id) => r.tasks.byNode(id)) : inServices ? [...inServices].flatMap((id) => r.tasks.byService(id)) : r.tasks.all();
      const tasks = candidates.filter(
        (t) =>
          (!inServices || inServices.has(t.serviceId)) &&
          (!onNodes || (t.nodeId !== undefined && onNodes.has(t.nodeId))) &&
          (!f.id || f.id.some((id) => t.id.startsWith(id))) &&
          (!f.name || f.name.some((n) => taskName(t).startsWith(n))) &&
          (!f.desiredState || f.desiredState.includes(t.desiredState)) &&
          (!f.state || f.state.includes(t.status.state)),
      );
      const services: Record<string, string> = {};
      for (const s of r.services.all()) services[s.id] = s.spec.name;
      const nodes: Record<string, string> = {};
      for (const n of r.nodes.all()) nodes[n.id] = n.description.hostname;
      return { tasks: [...tasks], services, nodes };
    });
  };
  return { TaskList };
}
