import type { Hooks } from '../../core/hooks';
import type { Labels, Node } from '../../core/model/types';
import { ADDRESS_KEY } from '../../core/model/constraints';
import { PLUGIN_NAME } from './name';

/** A constraint key this plugin answers. */
interface KeySource {
  /** Lower-case hook key. */
  readonly key: string;
  /** How the key is written in messages (`node.labels.<key>` for a prefix). */
  readonly shown: string;
  /** Reads the value from the node; `key` is the full constraint key. */
  read(node: Node, key: string): string | undefined;
}

/** A key with one value per node; an empty value counts as missing. */
const exact = (key: string, read: (node: Node) => string): KeySource => ({ key, shown: key, read: (node) => read(node) || undefined });

/** A prefix key: the rest of the constraint key (after `prefix.`) names a label, case-sensitively. */
const labels = (prefix: string, of: (node: Node) => Labels): KeySource => ({
  key: prefix,
  shown: `${prefix}.<key>`,
  read: (node, key) => {
    const all = of(node);
    const name = key.slice(prefix.length + 1);
    return (Object.hasOwn(all, name) && all[name]) || undefined;
  },
});

/** `host`, `1.2.3.4`, `1.2.3.4:2377` or `[::1]:2377` → the host part. */
function hostOf(addr: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(addr);
  if (bracketed) return bracketed[1];
  const withPort = /^([^:]+):\d+$/.exec(addr);
  return withPort ? withPort[1] : addr;
}

const SOURCES: readonly KeySource[] = [
  exact('node.id', (n) => n.id),
  exact('node.hostname', (n) => n.description.hostname),
  exact('node.role', (n) => n.spec.role),
  exact('node.platform.os', (n) => n.description.platform.os),
  exact('node.platform.arch', (n) => n.description.platform.arch),
  exact(ADDRESS_KEY, (n) => hostOf(n.status.addr)),
  exact('node.runtime', (n) => n.description.runtimes[0] ?? ''),
  labels('node.labels', (n) => n.spec.labels),
  labels('engine.labels', (n) => n.description.engine.labels),
];

/** The keys this plugin answers, as written in messages: `node.id`, …, `node.labels.<key>`, `engine.labels.<key>`. */
export const BUILTIN_CONSTRAINT_KEYS: readonly string[] = SOURCES.map((s) => s.shown);

/**
 * Taps `constraints.key` for every built-in key. Each tap is pure and returns the node's value, or
 * undefined when the node lacks it (an empty attribute counts as missing). Prefix taps (`node.labels`,
 * `engine.labels`) take the label name from the rest of the full key; label names are case-sensitive.
 */
export function tapConstraintKeys(hooks: Hooks): void {
  for (const s of SOURCES) hooks.constraints.key.for(s.key).tap(PLUGIN_NAME, (node, key) => s.read(node, key));
}
