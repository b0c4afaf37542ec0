import type { Hooks } from '../hooks';
import { constraintHolds, parseConstraint } from '../model/constraints';
import type { Node } from '../model/types';

/**
 * Reads constraint keys from nodes: returns the reader of `key` (which gives the node's value, or
 * undefined when the node lacks the attribute), or undefined when no one knows the key.
 */
export type ConstraintKeys = (key: string) => ((node: Node) => string | undefined) | undefined;

/**
 * Constraint keys answered by the `constraints.key` taps: the key itself, else its longest tapped
 * prefix ending at a dot (`node.labels.zone` → `node.labels`). Key names match case-insensitively
 * (taps use lower-case keys); the tap gets the key as written.
 */
export function hookConstraintKeys(hooks: Hooks): ConstraintKeys {
  return (key) => {
    const name = key.toLowerCase();
    for (let end = name.length; end > 0; end = name.lastIndexOf('.', end - 1)) {
      const hook = hooks.constraints.key.get(name.slice(0, end));
      if (hook?.isUsed()) return (node) => hook.call(node, key);
    }
    return undefined;
  };
}

/**
 * Compiles constraint expressions (already validated with the spec) into one test of a node:
 * every constraint must hold, and a constraint on an unknown key never does.
 */
export function nodeMatcher(constraints: readonly string[], keys: ConstraintKeys): (node: Node) => boolean {
  const compiled = constraints.map((expr) => {
    const c = parseConstraint(expr);
    return { c, read: keys(c.key) };
  });
  return (node) => compiled.every(({ c, read }) => read !== undefined && constraintHolds(c, read(node)));
}

/** True when a new task may start on `node`: it is up (or not heard from yet, at start) and active. */
export function acceptsNewTasks(node: Node): boolean {
  return (node.status.state === 'ready' || node.status.state === 'unknown') && node.spec.availability === 'active';
}

/** True when `node` may keep the tasks it has: it is not drained (a paused node keeps them). */
export function keepsTasks(node: Node | undefined): node is Node {
  return node !== undefined && node.spec.availability !== 'drain';
}
