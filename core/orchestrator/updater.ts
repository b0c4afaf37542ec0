import type { Logger } from 'pino';
import { OrchError } from '../errors';
import type { Service, Task } from '../model/types';
import type { ChangeEvent, ClusterStore, StoreReader } from '../store/contract';
import type { Clock } from './planning-loop';
import { TimedPlanningLoop } from './timed-planning-loop';
import type { TaskChange } from './task-changes';
import { rolledBack } from './rollback';
import { downNodes, servicesOnDownedNode } from './stopping';
import { planUpdate, rollingOut } from './updater-plan';

/**
 * `service` rolled back to its previous spec for `why`; paused with both reasons when it cannot be (e.g.
 * a port it published before is now another service's).
 */
function rollBackOrPause(r: StoreReader, service: Service, why: string, now: Date): Service {
  try {
    return rolledBack(service, () => r.services.all().filter((s) => s.id !== service.id), { message: why, at: now });
  } catch (err) {
    if (!(err instanceof OrchError)) throw err;
    const startedAt = service.updateStatus?.startedAt ?? now.toISOString();
    const message = `${why}; the rollback failed: ${err.message}`;
    const updateStatus = { state: 'paused', startedAt, completedAt: now.toISOString(), message, specVersion: service.specVersion } as const;
    return { ...service, updateStatus };
  }
}

/**
 * The updater: rolls spec changes out to the tasks of replicated and global services (`planUpdate`), storing each
 * service's update status, and re-plans on a timer when a batch delay or a monitor period ends.
 */
export class Updater extends TimedPlanningLoop {
  constructor(store: ClusterStore, log: Logger, clock: Clock) {
    super(store, log, { name: 'updater' }, clock);
  }

  protected keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'nodes') return this.store.view((r) => servicesOnDownedNode(r, e));
    if (e.table === 'services') return e.kind === 'delete' ? [] : [e.object.id];
    if (e.table !== 'tasks' || e.kind === 'delete') return [];
    const t = e.object as Task;
    const prev = e.previous as Task | undefined;
    const moved = !prev || prev.status.state !== t.status.state || prev.desiredState !== t.desiredState;
    if (!moved) return [];
    const service = this.store.view((r) => r.services.get(t.serviceId));
    return service && rollingOut(service) ? [t.serviceId] : [];
  }

  protected allKeys(r: StoreReader): Iterable<string> {
    return r.services.all().map((s) => s.id);
  }

  protected plan(r: StoreReader, serviceId: string, now: Date): readonly TaskChange[] {
    const service = r.services.get(serviceId);
    if (!service) {
      this.wakeAt(serviceId, undefined);
      return [];
    }
    const { changes, status, wakeAt, rollback } = planUpdate(service, r.tasks.byService(serviceId), now, downNodes(r));
    this.wakeAt(serviceId, wakeAt);
    if (rollback !== undefined) return [{ kind: 'service', service: rollBackOrPause(r, service, rollback, now) }];
    return status ? [...changes, { kind: 'service', service: { ...service, updateStatus: status } satisfies Service }] : changes;
  }
}
