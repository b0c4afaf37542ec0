import { ValidationError } from '../../core/errors';
import type { Hooks } from '../../core/hooks';
import type { ServiceSpec } from '../../core/model/types';
import { compileConstraint } from '../../core/model/constraints';
import { constraintKeyHook } from '../../core/scheduler/constraint-lookup';
import { BUILTIN_CONSTRAINT_KEYS } from './constraint-keys';
import { PLUGIN_NAME } from './name';

/**
 * Checks a spec's placement constraints: each must parse, use a key some `constraints.key` tap knows,
 * and (for `node.ip`) compare with an IP address or CIDR subnet.
 * @returns the first problem, naming the field (`invalid task.placement.constraints[0]: …`), or undefined.
 */
export function checkConstraints(hooks: Hooks, spec: ServiceSpec): string | undefined {
  const exprs = spec.task.placement.constraints;
  for (let i = 0; i < exprs.length; i++) {
    const problem = checkConstraint(hooks, exprs[i], `task.placement.constraints[${i}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Checks a spec's placement preferences: each must spread over a node attribute some `constraints.key`
 * tap knows (the keys of constraints).
 * @returns the first problem, naming the field (`invalid task.placement.preferences[0].spread: …`), or undefined.
 */
export function checkPreferences(hooks: Hooks, spec: ServiceSpec): string | undefined {
  const prefs = spec.task.placement.preferences;
  for (let i = 0; i < prefs.length; i++) {
    const problem = checkKnown(hooks, prefs[i].spread, `task.placement.preferences[${i}].spread`, 'node attribute');
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Checks one constraint expression; returns the problem or undefined. */
function checkConstraint(hooks: Hooks, expr: string, field: string): string | undefined {
  let key: string;
  try {
    key = compileConstraint(expr, field).constraint.key;
  } catch (e) {
    if (e instanceof ValidationError) return e.message;
    throw e;
  }
  return checkKnown(hooks, key, field, 'constraint key');
}

/** Checks that some `constraints.key` tap knows `key`; `what` names it in the problem (`constraint key`). */
function checkKnown(hooks: Hooks, key: string, field: string, what: string): string | undefined {
  if (constraintKeyHook(hooks, key)) return undefined;
  return new ValidationError(field, `unknown ${what} "${key}" (expected ${BUILTIN_CONSTRAINT_KEYS.join(', ')})`).message;
}

/** Taps `service.validate` with `checkConstraints` and `checkPreferences`: a spec with a bad one is refused before any write. */
export function tapValidate(hooks: Hooks): void {
  hooks.service.validate.tap(`${PLUGIN_NAME}:constraints`, (spec) => checkConstraints(hooks, spec));
  hooks.service.validate.tap(`${PLUGIN_NAME}:preferences`, (spec) => checkPreferences(hooks, spec));
}
