import type { Logger } from 'pino';
import type { Endpoint, Hooks, ServiceEndpoints } from '../hooks';
import type { Service, Task } from '../model/types';
import type { ChangeEvent, ClusterStore } from '../store/contract';
import { ControlLoop } from '../util/control-loop';

/** Endpoints of a service: its tasks desired and observed RUNNING that have an address. */
export function endpointsOf(service: Service | undefined, serviceId: string, tasks: readonly Task[]): ServiceEndpoints {
  const endpoints: Endpoint[] = [];
  if (service) {
    for (const t of tasks) {
      if (t.desiredState === 'running' && t.status.state === 'running' && t.status.addr && t.nodeId) {
        endpoints.push({ taskId: t.id, nodeId: t.nodeId, addr: t.status.addr });
      }
    }
    endpoints.sort((a, b) => a.taskId.localeCompare(b.taskId));
  }
  return { serviceId, serviceName: service?.spec.name ?? '', ports: service?.endpoint.ports ?? [], endpoints };
}

/**
 * Feeds the `ingress.endpoints` hook: whenever a service's ports or running endpoints change, calls it
 * with the new set (once per real change; an unchanged set is not re-sent).
 */
export class EndpointPublisher extends ControlLoop {
  private readonly last = new Map<string, string>();

  constructor(store: ClusterStore, log: Logger, private readonly hooks: Hooks) {
    super(store, log, { name: 'endpoints' });
  }

  protected *keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'services') yield e.object.id;
    else if (e.table === 'tasks') yield (e.object as Task).serviceId;
  }

  protected async reconcile(keys: ReadonlySet<string> | undefined): Promise<void> {
    const sets = this.store.view((r) => {
      const ids = keys ? [...keys] : [...new Set([...r.services.all().map((s) => s.id), ...this.last.keys()])];
      return ids.map((id) => endpointsOf(r.services.get(id), id, r.tasks.byService(id)));
    });
    for (const set of sets) {
      const text = JSON.stringify(set);
      if (this.last.get(set.serviceId) === text) continue;
      if (set.ports.length === 0 && set.endpoints.length === 0) this.last.delete(set.serviceId);
      else this.last.set(set.serviceId, text);
      this.hooks.ingress.endpoints.call(set);
    }
  }
}
