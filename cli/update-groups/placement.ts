import { formatConstraint, parseConstraint } from '../../core/model/constraints';
import type { Placement, ServiceSpec } from '../../core/model/types';
import { withFlag } from '../errors';
import { parseCount } from '../format/units';
import { placementPref } from '../service-flags';
import { removeThenAdd, unchanged, type FlagGroup } from './flag-group';

function withPlacement(spec: ServiceSpec, fields: Partial<Placement>): ServiceSpec {
  return { ...spec, task: { ...spec.task, placement: { ...spec.task.placement, ...fields } } };
}

/** A constraint as the spec stores it, read from a flag. */
const constraint = (flag: string) => (text: string) => formatConstraint(withFlag(flag, () => parseConstraint(text, flag)));

/** `--constraint-rm` then `--constraint-add`; constraints compare once normalized (`node.role == manager` is `node.role==manager`). */
export const constraintChanges: FlagGroup = (flags) => {
  const remove = (flags.constraintRm ?? []).map(constraint('--constraint-rm'));
  const add = (flags.constraintAdd ?? []).map(constraint('--constraint-add'));
  if (remove.length === 0 && add.length === 0) return unchanged;
  return (spec) => withPlacement(spec, { constraints: removeThenAdd(spec.task.placement.constraints, remove, add, (a, b) => a === b) });
};

/** `--placement-pref-rm` then `--placement-pref-add` (`spread=<node attribute>`). */
export const placementPrefChanges: FlagGroup = (flags) => {
  const remove = (flags.placementPrefRm ?? []).map((p) => placementPref(p, '--placement-pref-rm'));
  const add = (flags.placementPrefAdd ?? []).map((p) => placementPref(p, '--placement-pref-add'));
  if (remove.length === 0 && add.length === 0) return unchanged;
  return (spec) => withPlacement(spec, { preferences: removeThenAdd(spec.task.placement.preferences, remove, add, (a, b) => a.spread === b.spread) });
};

/** `--replicas-max-per-node N` (0: no limit). */
export const maxPerNodeChange: FlagGroup = (flags) => {
  if (flags.replicasMaxPerNode === undefined) return unchanged;
  const maxReplicasPerNode = parseCount(flags.replicasMaxPerNode, '--replicas-max-per-node');
  return (spec) => withPlacement(spec, { maxReplicasPerNode });
};
