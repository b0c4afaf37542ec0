import type { Hooks } from '../hooks';
import { compileConstraint } from '../model/constraints';
import type { Node } from '../model/types';

/** The hook that answers one constraint key. */
export type ConstraintKeyHook = NonNullable<ReturnType<Hooks['constraints']['key']['get']>>;

/** What a node says about a constraint key. */
export interface ConstraintValue {
  /** False when no `constraints.key` tap answers the key: a constraint on it never holds. */
  readonly known: boolean;
  /** The node's value; undefined when the key is unknown or the node lacks the attribute. */
  readonly value?: string;
}

/**
 * Finds the hook answering a constraint key: the key itself, else its longest tapped prefix ending at a
 * dot (`node.labels.a.b` → `node.labels.a`, then `node.labels`). Key names match case-insensitively, as
 * in swarm mode, so taps must use lower-case keys; the tap still gets the key as written.
 * @returns undefined when no tap knows the key.
 */
export function constraintKeyHook(hooks: Hooks, key: string): ConstraintKeyHook | undefined {
  const name = key.toLowerCase();
  for (let end = name.length; end > 0; end = name.lastIndexOf('.', end - 1)) {
    const hook = hooks.constraints.key.get(name.slice(0, end));
    if (hook !== undefined && hook.taps.length > 0) return hook;
  }
  return undefined;
}

/** Looks up a node's value for a constraint key through the `constraints.key` taps (see `constraintKeyHook`). Pure. */
export function lookupConstraintValue(hooks: Hooks, node: Node, key: string): ConstraintValue {
  const hook = constraintKeyHook(hooks, key);
  return hook ? { known: true, value: hook.call(node, key) } : { known: false };
}

/**
 * Compiles constraint expressions (already validated with the spec) into one test of a node: every
 * constraint must hold, and a constraint on a key no `constraints.key` tap knows never does.
 */
export function nodeMatcher(constraints: readonly string[], hooks: Hooks): (node: Node) => boolean {
  const compiled = constraints.map((expr) => compileConstraint(expr));
  return (node) =>
    compiled.every((c) => {
      const { known, value } = lookupConstraintValue(hooks, node, c.constraint.key);
      return known && c.holds(value);
    });
}
