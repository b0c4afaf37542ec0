import { ValidationError } from '../../core/errors';
import type { Hooks } from '../../core/hooks';
import type { Task } from '../../core/model/types';
import type { FilterRejection, NodeInfo } from '../../core/scheduler/contract';
import { hostPortKeys } from '../../core/scheduler/node-usage';
import { compileConstraint, type CompiledConstraint } from '../../core/model/constraints';
import { lookupConstraintValue } from '../../core/scheduler/constraint-lookup';
import { PLUGIN_NAME } from './name';

/**
 * Stages of the built-in filters, in swarm mode's order. They run before taps at the default stage 0;
 * a plugin slots a filter between two of them with a stage in between (e.g. -250 for a plugin check
 * after resources). The first rejection is the one counted in a task's PENDING message.
 */
export const FILTER_STAGES = { ready: -400, runtime: -350, resources: -300, constraints: -200, hostPorts: -100, maxReplicas: -50 } as const;

const rejection = (filter: string, explanation: string): FilterRejection => Object.freeze({ filter, explanation });
const NOT_READY = rejection('ready', 'not ready');
const DRAINED = rejection('ready', 'drained');
const PAUSED = rejection('ready', 'paused');
const NO_RUNTIME = rejection('runtime', 'runtime not available');
const NO_RESOURCES = rejection('resources', 'insufficient resources');
const CONSTRAINT = rejection('constraint', 'constraint not met');
const PORT_IN_USE = rejection('host-port', 'host-mode port already in use');
/** Swarm mode's wording, kept so messages read the same. */
const MAX_REPLICAS = rejection('max-replicas', 'max replicas per node limit exceed');

/** Turns down a node that is not READY (down, disconnected, unknown) or not ACTIVE (paused, drained). */
export function readyFilter(_task: Task, info: NodeInfo): FilterRejection | undefined {
  const { status, spec } = info.node;
  if (status.state !== 'ready') return NOT_READY;
  if (spec.availability === 'drain') return DRAINED;
  return spec.availability === 'pause' ? PAUSED : undefined;
}

/** Turns down a node without the runtime the task's spec names (`TaskSpec.runtime`); a task naming none fits any. */
export function runtimeFilter(task: Task, info: NodeInfo): FilterRejection | undefined {
  const wanted = task.spec.runtime;
  return wanted !== undefined && !info.node.description.runtimes.includes(wanted) ? NO_RUNTIME : undefined;
}

/** Turns down a node whose available CPU or memory is less than the task reserves (no reservation always fits). */
export function resourcesFilter(task: Task, info: NodeInfo): FilterRejection | undefined {
  const { nanoCpus = 0, memoryBytes = 0 } = task.spec.resources.reservations;
  const free = info.available;
  return (nanoCpus > 0 && nanoCpus > free.nanoCpus) || (memoryBytes > 0 && memoryBytes > free.memoryBytes) ? NO_RESOURCES : undefined;
}

/** Parsed constraints per constraint list, so a group's list is parsed once, not once per node. */
const compiled = new WeakMap<readonly string[], readonly CompiledConstraint[] | undefined>();

/** The task's compiled constraints; undefined when one is malformed (the spec slipped past validation): none can hold. */
function constraintsOf(task: Task): readonly CompiledConstraint[] | undefined {
  const exprs = task.spec.placement.constraints;
  if (compiled.has(exprs)) return compiled.get(exprs);
  let list: CompiledConstraint[] | undefined;
  try {
    list = exprs.map((e) => compileConstraint(e));
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
  }
  compiled.set(exprs, list);
  return list;
}

/**
 * Turns down a node on which some placement constraint does not hold. Values come from the
 * `constraints.key` taps; a key no tap knows never holds, whatever the operator.
 */
export function constraintsFilter(hooks: Hooks, task: Task, info: NodeInfo): FilterRejection | undefined {
  if (task.spec.placement.constraints.length === 0) return undefined;
  const list = constraintsOf(task);
  if (!list) return CONSTRAINT;
  for (const c of list) {
    const { known, value } = lookupConstraintValue(hooks, info.node, c.constraint.key);
    if (!known || !c.holds(value)) return CONSTRAINT;
  }
  return undefined;
}

/** Turns down a node on which a host-mode port of the task is already bound (by a running task or one placed in this batch). */
export function hostPortFilter(task: Task, info: NodeInfo): FilterRejection | undefined {
  for (const key of hostPortKeys(task)) if (info.usedHostPorts.has(key)) return PORT_IN_USE;
  return undefined;
}

/**
 * Turns down a node already running `placement.maxReplicasPerNode` tasks of the task's service (0 means
 * no limit). Tasks placed earlier in the same batch count: placing updates `tasksByService`.
 */
export function maxReplicasFilter(task: Task, info: NodeInfo): FilterRejection | undefined {
  const max = task.spec.placement.maxReplicasPerNode;
  return max > 0 && (info.tasksByService.get(task.serviceId) ?? 0) >= max ? MAX_REPLICAS : undefined;
}

/**
 * Taps `scheduler.filter` with the built-in filters at `FILTER_STAGES`: ready → runtime → resources → constraints →
 * host ports → max replicas per node. Each is pure and cheap; a rejection carries a short
 * explanation that reads in "no suitable node (constraint not met on 2 nodes)".
 */
export function tapFilters(hooks: Hooks): void {
  const filter = hooks.scheduler.filter;
  filter.tap({ name: `${PLUGIN_NAME}:ready`, stage: FILTER_STAGES.ready }, readyFilter);
  filter.tap({ name: `${PLUGIN_NAME}:runtime`, stage: FILTER_STAGES.runtime }, runtimeFilter);
  filter.tap({ name: `${PLUGIN_NAME}:resources`, stage: FILTER_STAGES.resources }, resourcesFilter);
  filter.tap({ name: `${PLUGIN_NAME}:constraints`, stage: FILTER_STAGES.constraints }, (task, info) => constraintsFilter(hooks, task, info));
  filter.tap({ name: `${PLUGIN_NAME}:host-ports`, stage: FILTER_STAGES.hostPorts }, hostPortFilter);
  filter.tap({ name: `${PLUGIN_NAME}:max-replicas`, stage: FILTER_STAGES.maxReplicas }, maxReplicasFilter);
}
