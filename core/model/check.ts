import { ValidationError } from '../errors';

/**
 * Small readers for untrusted input (RPC payloads, files): each returns the typed value or throws a
 * ValidationError that names the field path and what was expected.
 */
export type Json = unknown;

export function obj(v: Json, field: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(field, 'expected an object');
  return v as Record<string, Json>;
}

export function str(v: Json, field: string, opts: { nonEmpty?: boolean; pattern?: RegExp; expected?: string } = {}): string {
  if (typeof v !== 'string') throw new ValidationError(field, 'expected a string');
  if (opts.nonEmpty && v.length === 0) throw new ValidationError(field, 'must not be empty');
  if (opts.pattern && !opts.pattern.test(v)) throw new ValidationError(field, `"${v}" ${opts.expected ?? `does not match ${opts.pattern}`}`);
  return v;
}

export function int(v: Json, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new ValidationError(field, `expected ${range}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function bool(v: Json, field: string): boolean {
  if (typeof v !== 'boolean') throw new ValidationError(field, `expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

export function oneOf<T extends string>(v: Json, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new ValidationError(field, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

export function arr<T>(v: Json, field: string, item: (x: Json, field: string) => T): T[] {
  if (!Array.isArray(v)) throw new ValidationError(field, 'expected an array');
  return v.map((x, i) => item(x, `${field}[${i}]`));
}

export function strMap(v: Json, field: string): Record<string, string> {
  const o = obj(v, field);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) {
    if (k === '') throw new ValidationError(field, 'keys must not be empty');
    out[k] = str(val, `${field}.${k}`);
  }
  return out;
}

/** Reads an optional field: `undefined` stays undefined, anything else goes through `read`. */
export function opt<T>(v: Json, field: string, read: (x: Json, field: string) => T): T | undefined {
  return v === undefined ? undefined : read(v, field);
}

/** Fails when `o` has keys other than `known`: a misspelt field must not be silently ignored. */
export function noExtraKeys(o: Record<string, Json>, field: string, known: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new ValidationError(field ? `${field}.${k}` : k, `unknown field (expected one of ${known.join(', ')})`);
  }
}
