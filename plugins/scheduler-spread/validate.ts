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

/** Checks one constraint expression; returns the problem or undefined. */
function checkConstraint(hooks: Hooks, expr: string, field: string): string | undefined {
  let key: string;
  try {
    key = compileConstraint(expr, field).constraint.key;
  } catch (e) {
    if (e instanceof ValidationError) return e.message;
    throw e;
  }
  if (constraintKeyHook(hooks, key)) return undefined;
  return new ValidationError(field, `unknown constraint key "${key}" (expected ${BUILTIN_CONSTRAINT_KEYS.join(', ')})`).message;
}

/** Taps `service.validate` with `checkConstraints`: a spec with a bad constraint is refused before any write. */
export function tapValidate(hooks: Hooks): void {
  hooks.service.validate.tap(`${PLUGIN_NAME}:constraints`, (spec) => checkConstraints(hooks, spec));
}
