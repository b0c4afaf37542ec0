import { UsageError } from '../errors';
import { isMapping, itemPath, keyPath } from './paths';

/** Where variables take their values from; undefined when a variable is unset. */
export type Lookup = (name: string) => string | undefined;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([\s\S]*))?$/;

/** The index of the `}` closing the `${` at `start`, counting nested `${…}`; -1 when unclosed. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Interpolation of one string value at `path`; the names of unset variables it used go to `unset`. */
function interpolateText(text: string, lookup: Lookup, path: string, unset: Set<string>): string {
  const invalid = () => new UsageError(path, `invalid interpolation format in "${text}": use $$ for a literal $`);
  const variable = (name: string) => {
    const value = lookup(name);
    if (value === undefined) unset.add(name);
    return value ?? '';
  };
  const braced = (inner: string): string => {
    const m = BRACED.exec(inner);
    if (!m) throw invalid();
    const [, name, op, rest] = m;
    if (op === undefined) return variable(name);
    const value = lookup(name);
    const missing = value === undefined || (op.startsWith(':') && value === '');
    if (!missing) return value;
    if (op.endsWith('-')) return interpolateText(rest, lookup, path, unset);
    throw new UsageError(path, `required variable ${name} is missing a value${rest === '' ? '' : `: ${rest}`}`);
  };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('$', i);
    if (at < 0) return out + text.slice(i);
    out += text.slice(i, at);
    const next = text[at + 1];
    if (next === '$') {
      out += '$';
      i = at + 2;
    } else if (next === '{') {
      const end = closingBrace(text, at);
      if (end < 0) throw invalid();
      out += braced(text.slice(at + 2, end));
      i = end + 1;
    } else {
      NAME.lastIndex = at + 1;
      const m = NAME.exec(text);
      if (!m) throw invalid();
      out += variable(m[0]);
      i = NAME.lastIndex;
    }
  }
  return out;
}

/**
 * Interpolates every string value (not keys) of a compose document as compose does: `$VAR`, `${VAR}`,
 * `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?error}`, `${VAR?error}` (fail),
 * `$$` for a literal `$`; defaults may hold further variables. An unset variable reads as an empty string.
 * Pure.
 * @returns the interpolated document and the names of the unset variables it read as empty.
 * @throws UsageError naming the path of the value (a required variable missing, a malformed `$`).
 */
export function interpolate(value: unknown, lookup: Lookup, path = ''): { readonly value: unknown; readonly unset: readonly string[] } {
  const unset = new Set<string>();
  const walk = (v: unknown, p: string): unknown => {
    if (typeof v === 'string') return interpolateText(v, lookup, p, unset);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, itemPath(p, i)));
    if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, keyPath(p, k))]));
    return v;
  };
  return { value: walk(value, path), unset: [...unset] };
}
