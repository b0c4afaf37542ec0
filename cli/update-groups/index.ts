import { argsChange, entrypointChange, envChanges, healthChange, imageChange, mountChanges, stopGraceChange, workdirChange } from './container';
import type { FlagGroup, ServiceUpdateFlags, SpecChange } from './flag-group';
import { constraintChanges, maxPerNodeChange, placementPrefChanges } from './placement';
import { portChanges } from './ports';
import { forceChange, labelChanges, replicasChange, rollbackConfigChange, updateConfigChange } from './service';
import { resourcesChange, restartChange } from './task';

/** Every flag group of `service update`, applied in this order. */
const FLAG_GROUPS: readonly FlagGroup[] = [
  portChanges,
  imageChange,
  envChanges,
  argsChange,
  entrypointChange,
  workdirChange,
  stopGraceChange,
  healthChange,
  mountChanges,
  resourcesChange,
  restartChange,
  constraintChanges,
  placementPrefChanges,
  maxPerNodeChange,
  replicasChange,
  labelChanges,
  forceChange,
  updateConfigChange,
  rollbackConfigChange,
];

/**
 * Reads the flags of `service update` into the change they make to a service's spec. Pure.
 * @throws UsageError naming the flag at fault (the change itself throws one when a flag does not fit the service).
 */
export function readUpdateFlags(flags: ServiceUpdateFlags): SpecChange {
  const changes = FLAG_GROUPS.map((group) => group(flags));
  return (spec, current) => changes.reduce((s, change) => change(s, current), spec);
}
