import { UsageError } from '../errors';
import { scopedName } from './namespace';
import { keyPath } from './paths';
import { flag, mapping, text } from './values';

/** A top-level network or volume of a compose file, named as the cluster knows it. */
export interface TopLevelEntry {
  /** `STACK_key`, or the `name:` it sets, or for an external one the name it exists under. */
  readonly name: string;
  /** Made elsewhere: the stack neither creates nor labels it. */
  readonly external: boolean;
  readonly entry: Readonly<Record<string, unknown>>;
}

/**
 * Reads the top-level network or volume `key` (`networks.front`, `volumes.data`): `external: true` (or the
 * old `external: {name: …}`) names an existing object and takes no other settings, as docker refuses
 * `external` with a driver. Pure.
 * @throws UsageError naming the path.
 */
export function topLevelEntry(kind: 'network' | 'volume', stack: string, key: string, v: unknown): TopLevelEntry {
  const path = keyPath(`${kind}s`, key);
  const entry = mapping(v, path);
  const ext = entry.external;
  const external = ext !== undefined && (typeof ext === 'object' && ext !== null ? true : flag(ext, keyPath(path, 'external')));
  const explicit = entry.name === undefined ? undefined : text(entry.name, keyPath(path, 'name'));
  if (!external) return { name: explicit ?? scopedName(stack, key), external, entry };
  const conflicting = Object.keys(entry).filter((k) => k !== 'external' && k !== 'name' && !k.startsWith('x-'));
  if (conflicting.length > 0) throw new UsageError(keyPath(path, 'external'), `an external ${kind} takes no other settings, got ${conflicting.join(', ')}`);
  const oldName = typeof ext === 'object' && ext !== null ? mapping(ext, keyPath(path, 'external')).name : undefined;
  return { name: oldName === undefined ? (explicit ?? key) : text(oldName, keyPath(path, 'external.name')), external, entry };
}
