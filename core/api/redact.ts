import type { Cluster, StoredObject } from '../model/types';
import type { ChangeEvent } from '../store/contract';

/** A cluster object fit for clients: the CA's private key and the join secrets removed. */
export function publicCluster(c: Cluster): Cluster {
  if (!c.ca) return c;
  const { rootKeyPem: _key, workerSecret: _w, managerSecret: _m, ...ca } = c.ca;
  return { ...c, ca: ca as Cluster['ca'] };
}

/** A change event fit for clients (see publicCluster). */
export function redactEvent(e: ChangeEvent): ChangeEvent {
  if (e.table !== 'clusters') return e;
  const redact = (o: StoredObject | undefined) => (o ? publicCluster(o as Cluster) : undefined);
  return { ...e, object: redact(e.object)!, previous: redact(e.previous) };
}
