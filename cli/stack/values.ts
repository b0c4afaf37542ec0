import { UsageError } from '../errors';
import { parseBytes, parseCount, parseDurationMs, parseNanoCpus } from '../format/units';
import { splitShellWords } from '../shell-words';
import { isMapping, itemPath, keyPath } from './paths';

/**
 * Readers of compose values: each takes the value at `path` and returns it converted, or throws a
 * UsageError naming the path (`invalid services.web.deploy.replicas: expected …`). Pure.
 */

function got(v: unknown): string {
  return v === null ? 'nothing' : Array.isArray(v) ? 'a list' : isMapping(v) ? 'a mapping' : JSON.stringify(v);
}

/** A scalar as text (YAML reads `80` and `true` as a number and a boolean). */
export function text(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new UsageError(path, `expected a string, got ${got(v)}`);
}

/** A mapping (an absent or empty value reads as an empty one). */
export function mapping(v: unknown, path: string): Readonly<Record<string, unknown>> {
  if (v === undefined || v === null) return {};
  if (!isMapping(v)) throw new UsageError(path, `expected a mapping, got ${got(v)}`);
  return v;
}

/** A list (an absent value reads as an empty one). */
export function list(v: unknown, path: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new UsageError(path, `expected a list, got ${got(v)}`);
  return v;
}

/** A list of strings, or one string as a list of one. */
export function texts(v: unknown, path: string): string[] {
  return typeof v === 'string' ? [v] : list(v, path).map((x, i) => text(x, itemPath(path, i)));
}

/** A command: a list of words, or a string split as a shell would. */
export function words(v: unknown, path: string): string[] {
  if (typeof v !== 'string') return list(v, path).map((x, i) => text(x, itemPath(path, i)));
  try {
    return splitShellWords(v);
  } catch (err) {
    throw new UsageError(path, (err as Error).message);
  }
}

/** One of `allowed`. */
export function choice<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  const t = text(v, path);
  if (!(allowed as readonly string[]).includes(t)) throw new UsageError(path, `expected ${allowed.join(' or ')}, got "${t}"`);
  return t as T;
}

/** true or false. */
export function flag(v: unknown, path: string): boolean {
  return choice(v, path, ['true', 'false']) === 'true';
}

/** A non-negative integer (`3`). */
export function count(v: unknown, path: string): number {
  return parseCount(text(v, path), path);
}

/** A duration (`10s`, `1m30s`) in milliseconds. */
export function duration(v: unknown, path: string): number {
  return parseDurationMs(text(v, path), path);
}

/** A size (`512M`, `1g`, `1024`) in bytes. */
export function bytes(v: unknown, path: string): number {
  return parseBytes(text(v, path), path);
}

/** A number of CPUs (`0.5`) in nano-CPUs. */
export function nanoCpus(v: unknown, path: string): number {
  return parseNanoCpus(text(v, path), path);
}

/** A ratio from 0 to 1. */
export function ratio(v: unknown, path: string): number {
  const t = text(v, path);
  const n = Number(t);
  if (t.trim() === '' || !(n >= 0 && n <= 1)) throw new UsageError(path, `expected a number from 0 to 1, got "${t}"`);
  return n;
}

/**
 * A list of `KEY=VALUE` or a mapping, as compose writes labels and environments; a bare `KEY` (or a
 * key mapped to nothing) has value undefined.
 */
export function keyValues(v: unknown, path: string): [string, string | undefined][] {
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      const entry = text(x, itemPath(path, i));
      const at = entry.indexOf('=');
      if (at === 0) throw new UsageError(itemPath(path, i), `"${entry}" is not KEY=VALUE: the key is empty`);
      return at < 0 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)];
    });
  }
  return Object.entries(mapping(v, path)).map(([k, x]) => [k, x === null ? undefined : text(x, keyPath(path, k))]);
}

/** Labels (or driver options): a list of `KEY=VALUE` or a mapping; a bare key has an empty value. */
export function labels(v: unknown, path: string): Record<string, string> {
  return Object.fromEntries(keyValues(v, path).map(([k, x]) => [k, x ?? '']));
}
