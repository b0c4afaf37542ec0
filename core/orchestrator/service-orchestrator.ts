import type { Node, Service, Task } from '../model/types';
import type { ChangeEvent, StoreReader } from '../store/contract';
import { keepsReplicas } from './eligibility';
import { PlanningLoop } from './planning-loop';
import { planRemoval, type TaskChange } from './task-changes';

/**
 * Base of the orchestrators of one service mode, keyed by service id. Each owns the services of its
 * mode and, once a service is deleted, the tasks shaped like its mode's (which it marks desired REMOVE).
 */
export abstract class ServiceOrchestrator extends PlanningLoop {
  /** True for a service of this orchestrator's mode. */
  protected abstract ownsService(service: Service): boolean;

  /** True for a task shaped like this mode's tasks (e.g. one with a slot). */
  protected abstract ownsTask(task: Task): boolean;

  /** Services a node change may affect. */
  protected abstract servicesAffectedBy(r: StoreReader, e: ChangeEvent & { readonly object: Node }): readonly string[];

  /** The changes that converge one live service of this mode. Pure. */
  protected abstract planService(r: StoreReader, service: Service, tasks: readonly Task[], now: Date): TaskChange[];

  protected keysFor(e: ChangeEvent): Iterable<string> {
    switch (e.table) {
      case 'services':
        return [e.object.id];
      case 'tasks': {
        const t = e.object as Task;
        return this.ownsTask(t) && (taskMoved(e) || this.landedAmiss(e)) ? [t.serviceId] : [];
      }
      case 'nodes':
        return this.store.view((r) => this.servicesAffectedBy(r, e as ChangeEvent & { readonly object: Node }));
      default:
        return [];
    }
  }

  /**
   * True for a task event that put a task on a node that cannot keep it (placed on a node as it went
   * down or was drained): the node's own change was seen before the task was there. Other moves to a
   * node (the scheduler placing tasks) change no plan.
   */
  protected landedAmiss(e: ChangeEvent): boolean {
    const t = e.object as Task;
    if (t.nodeId === undefined || t.nodeId === (e.previous as Task | undefined)?.nodeId) return false;
    return !this.store.view((r) => keepsReplicas(r.nodes.get(t.nodeId!)));
  }

  protected allKeys(r: StoreReader): Iterable<string> {
    const keys = new Set(r.services.all().filter((s) => this.ownsService(s)).map((s) => s.id));
    for (const t of r.tasks.all()) if (this.ownsTask(t) && !r.services.get(t.serviceId)) keys.add(t.serviceId);
    return keys;
  }

  protected plan(r: StoreReader, serviceId: string, now: Date): readonly TaskChange[] {
    const service = r.services.get(serviceId);
    const tasks = r.tasks.byService(serviceId);
    if (!service) return planRemoval(tasks.filter((t) => this.ownsTask(t)));
    return this.ownsService(service) ? this.planService(r, service, tasks, now) : [];
  }
}

/** True for a task event that can change a plan: a task came or went, or its desired state changed. */
function taskMoved(e: ChangeEvent): boolean {
  const t = e.object as Task;
  const prev = e.previous as Task | undefined;
  return !prev || prev.desiredState !== t.desiredState;
}
