import { withNextSpec } from '../allocator/service-endpoint';
import { OrchError } from '../errors';
import type { Service } from '../model/types';

/** Why and when a rollback starts: the message its update status carries. */
export interface RollbackCause {
  readonly message: string;
  readonly at: Date;
}

/**
 * `service` put back on its previous spec as its next spec version (the spec it leaves becomes its previous
 * one), with update status `rollback_started`: the updater rolls it out with the rollback config. Pure but
 * for `others`.
 * @param others every other service, read when the previous spec publishes ports.
 * @throws OrchError(conflict) when the service has no previous spec; OrchError(invalid) when a port it
 * published before is now another service's.
 */
export function rolledBack(service: Service, others: () => readonly Service[], cause: RollbackCause): Service {
  if (!service.previousSpec) throw new OrchError('conflict', `service ${service.spec.name} has no previous spec to roll back to`);
  const next = withNextSpec(service, service.previousSpec, others);
  return { ...next, updateStatus: { state: 'rollback_started', startedAt: cause.at.toISOString(), message: cause.message, specVersion: next.specVersion } };
}
