import type { Service, ServiceSpec } from '../../core/model/types';
import type { TaskFlags } from '../task-flags';
import type { UpdateConfigFlags } from '../update-flags';

/** The flags of `service update`, as commander hands them over (repeatable flags as arrays). */
export interface ServiceUpdateFlags extends TaskFlags, UpdateConfigFlags {
  readonly publishAdd?: readonly string[];
  readonly publishRm?: readonly string[];
  readonly image?: string;
  readonly envAdd?: readonly string[];
  readonly envRm?: readonly string[];
  readonly args?: string;
  readonly replicas?: string;
  readonly mountAdd?: readonly string[];
  readonly mountRm?: readonly string[];
  readonly labelAdd?: readonly string[];
  readonly labelRm?: readonly string[];
  readonly constraintAdd?: readonly string[];
  readonly constraintRm?: readonly string[];
  readonly placementPrefAdd?: readonly string[];
  readonly placementPrefRm?: readonly string[];
  readonly force?: boolean;
  readonly detach?: boolean;
  readonly rollback?: boolean;
}

/** How one group of update flags changes a service's spec (`current` is the service as read). Pure. */
export type SpecChange = (spec: ServiceSpec, current: Service) => ServiceSpec;

/** Reads one group of update flags into the change they make; UsageErrors come from here, before any call. */
export type FlagGroup = (flags: ServiceUpdateFlags) => SpecChange;

/** The change that changes nothing: a group whose flags were not given. */
export const unchanged: SpecChange = (spec) => spec;

/**
 * A list with `remove`d entries taken out, then `add`ed ones appended unless already there (`same` compares
 * entries), as docker applies `--x-rm` then `--x-add`. Pure.
 */
export function removeThenAdd<T>(list: readonly T[], remove: readonly T[], add: readonly T[], same: (a: T, b: T) => boolean): T[] {
  const kept = list.filter((x) => !remove.some((r) => same(r, x)));
  for (const a of add) if (!kept.some((x) => same(a, x))) kept.push(a);
  return kept;
}
