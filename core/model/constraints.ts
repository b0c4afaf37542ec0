import { ValidationError } from '../errors';

export type ConstraintOperator = '==' | '!=';

/** A parsed placement constraint such as `node.labels.storage == ssd`. */
export interface Constraint {
  readonly key: string;
  readonly operator: ConstraintOperator;
  readonly value: string;
}

const KEY = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses one constraint expression `KEY==VALUE` or `KEY!=VALUE` (spaces around the operator allowed).
 * @param field name of the input, for the error (e.g. `--constraint` or `task.placement.constraints[0]`).
 * @throws ValidationError naming the field and the expected form.
 */
export function parseConstraint(expr: string, field = 'constraint'): Constraint {
  const m = /^\s*([^=!<>~\s]+)\s*(==|!=)\s*(.*?)\s*$/.exec(expr);
  if (!m) {
    throw new ValidationError(field, `"${expr}" is not a constraint: expected KEY==VALUE or KEY!=VALUE (e.g. node.labels.storage==ssd)`);
  }
  const [, key, operator, value] = m;
  if (!KEY.test(key)) throw new ValidationError(field, `"${key}" is not a constraint key: expected letters, digits, ".", "_" or "-"`);
  if (value === '' ) throw new ValidationError(field, `"${expr}" has no value after ${operator}`);
  if (/[=!]=/.test(value)) throw new ValidationError(field, `"${expr}" has more than one operator`);
  return { key, operator: operator as ConstraintOperator, value };
}

/**
 * Checks a node's attribute against a constraint: values compare case-insensitively as whole strings;
 * a missing attribute (undefined) fails `==` and passes `!=`.
 */
export function constraintHolds(c: Constraint, actual: string | undefined): boolean {
  const equal = actual !== undefined && actual.toLowerCase() === c.value.toLowerCase();
  return c.operator === '==' ? equal : !equal;
}

/** Canonical text of a constraint (`key==value`). */
export function formatConstraint(c: Constraint): string {
  return `${c.key}${c.operator}${c.value}`;
}
