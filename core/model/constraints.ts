import { BlockList, isIP } from 'node:net';
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

/** The key whose values are addresses: compared as an IP or CIDR subnet, not as text. */
export const ADDRESS_KEY = 'node.ip';

/** A parsed constraint with the comparison its key needs. */
export interface CompiledConstraint {
  readonly constraint: Constraint;
  /** True when the node's value (undefined: the node lacks the attribute) satisfies the constraint. */
  holds(actual: string | undefined): boolean;
}

/** `ipv4` or `ipv6` for an IP address; undefined for anything else. */
function addressType(addr: string): 'ipv4' | 'ipv6' | undefined {
  const family = isIP(addr);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : undefined;
}

/** An IP address (`10.0.0.5`) or a CIDR subnet (`10.0.0.0/24`, `fd00::/8`) as a set of addresses. */
function addressSet(value: string): BlockList | undefined {
  const [addr, bits, ...rest] = value.split('/');
  const type = addressType(addr);
  if (type === undefined || rest.length > 0) return undefined;
  const set = new BlockList();
  if (bits === undefined) {
    set.addAddress(addr, type);
    return set;
  }
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (type === 'ipv4' ? 32 : 128)) return undefined;
  set.addSubnet(addr, Number(bits), type);
  return set;
}

/**
 * Parses a constraint expression and picks its comparison: text compared case-insensitively
 * (`constraintHolds`) for every key but `node.ip`, whose value is an IP address or a CIDR subnet that
 * the node's address must equal or fall in (`!=`: must not). A node without an address fails `==`.
 * @param field name of the input, for errors (e.g. `task.placement.constraints[0]`).
 * @throws ValidationError naming the field when the expression is malformed or a `node.ip` value is not an address.
 */
export function compileConstraint(expr: string, field = 'constraint'): CompiledConstraint {
  const constraint = parseConstraint(expr, field);
  if (constraint.key.toLowerCase() !== ADDRESS_KEY) return { constraint, holds: (actual) => constraintHolds(constraint, actual) };
  const set = addressSet(constraint.value);
  if (!set) {
    throw new ValidationError(field, `"${constraint.value}" is not an IP address or CIDR subnet (${ADDRESS_KEY} takes e.g. 10.0.0.5 or 10.0.0.0/24)`);
  }
  const inSet = (actual: string | undefined): boolean => {
    if (actual === undefined) return false;
    const type = addressType(actual);
    return type !== undefined && set.check(actual, type);
  };
  return { constraint, holds: (actual) => inSet(actual) === (constraint.operator === '==') };
}
