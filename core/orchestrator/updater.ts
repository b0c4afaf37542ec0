import type { Logger } from 'pino';
import { replicasOf } from '../model/service-spec';
import type { Service, Task } from '../model/types';
import type { ChangeEvent, ClusterStore, StoreReader } from '../store/contract';
import type { Clock } from './planning-loop';
import { TimedPlanningLoop } from './timed-planning-loop';
import type { TaskChange } from './task-changes';
import { planUpdate } from './updater-plan';

/**
 * The updater: rolls spec changes out to the tasks of replicated services (`planUpdate`), storing each
 * service's update status, and re-plans on a timer when a batch delay or a monitor period ends.
 */
export class Updater extends TimedPlanningLoop {
  constructor(store: ClusterStore, log: Logger, clock: Clock) {
    super(store, log, { name: 'updater' }, clock);
  }

  protected keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'services') return e.kind === 'delete' ? [] : [e.object.id];
    if (e.table !== 'tasks' || e.kind === 'delete') return [];
    const t = e.object as Task;
    const prev = e.previous as Task | undefined;
    const moved = !prev || prev.status.state !== t.status.state || prev.desiredState !== t.desiredState;
    return t.slot !== undefined && moved ? [t.serviceId] : [];
  }

  protected allKeys(r: StoreReader): Iterable<string> {
    return r.services.all().map((s) => s.id);
  }

  protected plan(r: StoreReader, serviceId: string, now: Date): readonly TaskChange[] {
    const service = r.services.get(serviceId);
    if (!service || replicasOf(service.spec) === undefined) {
      this.wakeAt(serviceId, undefined);
      return [];
    }
    const { changes, status, wakeAt } = planUpdate(service, r.tasks.byService(serviceId), now);
    this.wakeAt(serviceId, wakeAt);
    return status ? [...changes, { kind: 'service', service: { ...service, updateStatus: status } satisfies Service }] : changes;
  }
}
