import { Hooks } from '../../core/hooks';
import { acceptsNewTasks } from '../../core/orchestrator/eligibility';
import { nodeMatcher } from '../../core/scheduler/constraint-lookup';
import type { Node, ServiceSpec } from '../../core/model/types';
import { tapConstraintKeys } from '../../plugins/scheduler-filters/constraint-keys';

/**
 * How many nodes can run a global service, as the global orchestrator decides it: nodes up and active
 * whose attributes meet every placement constraint, read with the default distribution's constraint keys
 * (a key only a daemon plugin knows counts as unmet). The progress display uses it only to tell "no task
 * yet" from "no node can run one".
 */
export function countEligibleNodes(spec: ServiceSpec, nodes: readonly Node[]): number {
  const hooks = new Hooks();
  tapConstraintKeys(hooks);
  const fits = nodeMatcher(spec.task.placement.constraints, hooks);
  return nodes.filter((n) => acceptsNewTasks(n) && fits(n)).length;
}
