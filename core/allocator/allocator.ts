import type { Logger } from 'pino';
import type { Task } from '../model/types';
import type { ChangeEvent, ClusterStore } from '../store/contract';
import { ControlLoop } from '../util/control-loop';

const BATCH = 200;

/**
 * Allocator loop: moves new tasks to PENDING once the resources they need from the cluster are
 * allocated. Published ports are allocated per service when it is written, so today a NEW task only
 * needs its service to still exist; network attachments will join here.
 */
export class Allocator extends ControlLoop {
  constructor(store: ClusterStore, log: Logger, private readonly clock: () => Date = () => new Date()) {
    super(store, log, { name: 'allocator' });
  }

  protected *keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'tasks' && e.kind !== 'delete' && (e.object as Task).status.state === 'new') yield e.object.id;
  }

  protected async reconcile(keys: ReadonlySet<string> | undefined): Promise<void> {
    const ids = this.store.view((r) =>
      (keys ? [...keys].map((id) => r.tasks.get(id)) : r.tasks.all()).filter((t): t is Task => t?.status.state === 'new').map((t) => t.id),
    );
    for (let i = 0; i < ids.length; i += BATCH) {
      const now = this.clock().toISOString();
      await this.store.update((tx) => {
        for (const id of ids.slice(i, i + BATCH)) {
          const t = tx.tasks.get(id);
          if (!t || t.status.state !== 'new') continue;
          tx.tasks.update({ ...t, status: { state: 'pending', timestamp: now, message: 'pending task scheduling' } });
        }
      });
    }
  }
}
