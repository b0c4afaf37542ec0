import type { ChangeEvent, ClusterStore } from '../store/contract';
import { changesetTime, clusterEvents, type NameLookup, type ScopedEvent } from './cluster-events';
import { EventRing } from './event-ring';

/** Events a manager keeps for `orch events --since`. */
export const RETAINED_EVENTS = 10_000;

/** What the event log reads: the store's changes and, when it offers reads, the names of nodes and networks. */
export type EventStore = Pick<ClusterStore, 'watch'> & Partial<Pick<ClusterStore, 'view'>>;

/**
 * Records the cluster events of every committed write in a ring of recent events. It starts with the
 * writes the store still retains from the beginning (after a restart from a snapshot it retains too few,
 * and starts with the next write), and lasts as long as the store.
 *
 * An event's time is its write's commit time (see changesetTime); a write that only deleted objects has
 * none, so it gets the time it is seen (`now`) or, when replayed, that of the write before it.
 */
export function recordClusterEvents(store: EventStore, capacity = RETAINED_EVENTS, now: () => Date = () => new Date()): EventRing<ScopedEvent> {
  const ring = new EventRing<ScopedEvent>(capacity);
  const names: NameLookup = {
    nodeName: (id) => store.view?.((r) => r.nodes.get(id)?.description.hostname),
    networkName: (id) => store.view?.((r) => r.networks.get(id)?.spec.name),
  };
  let replaying = true;
  let last: string | undefined;
  const record = (changes: readonly ChangeEvent[]) => {
    const time = changesetTime(changes) ?? (replaying && last !== undefined ? last : now().toISOString());
    last = time;
    ring.append(clusterEvents(changes, time, names));
  };
  try {
    store.watch(record, 0);
  } catch {
    // The earliest writes are no longer retained: record from now on.
    store.watch(record);
  }
  replaying = false;
  return ring;
}
