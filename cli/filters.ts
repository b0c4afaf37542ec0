import { UsageError } from './errors';
import { parseKeyValue } from './key-value';

/** `--filter KEY=VALUE` flags grouped by key; each key may be given several times. */
export type Filters<K extends string> = Partial<Record<K, string[]>>;

/** Groups `--filter` values by key, refusing keys not in `keys` and entries without a value. */
export function parseFilters<K extends string>(values: readonly string[], keys: readonly K[]): Filters<K> {
  const out: Filters<K> = {};
  for (const text of values) {
    const { key, value } = parseKeyValue(text, '--filter');
    if (value === undefined) throw new UsageError('--filter', `"${text}" is not KEY=VALUE`);
    if (!keys.includes(key as K)) throw new UsageError('--filter', `unknown key "${key}": expected one of ${keys.join(', ')}`);
    (out[key as K] ??= []).push(value);
  }
  return out;
}

/** Checks that every value given for filter `key` is one of `allowed`. */
export function filterValues<T extends string>(values: readonly string[] | undefined, key: string, allowed: readonly T[]): T[] | undefined {
  for (const v of values ?? []) {
    if (!allowed.includes(v as T)) throw new UsageError('--filter', `${key} must be one of ${allowed.join(', ')}, got "${v}"`);
  }
  return values as T[] | undefined;
}
