import { isMapping } from './paths';

/** Keys whose value may be a list of `KEY=VALUE` or a mapping: merged by key whatever form each file uses. */
const LIST_OR_MAPPING = new Set(['environment', 'labels']);

/** A `KEY=VALUE` list as a mapping (a bare `KEY` maps to null, as in compose's mapping form). */
function asMapping(v: unknown): unknown {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return v;
  return Object.fromEntries(
    v.map((entry: string) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, null] : [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

function mergeValue(key: string, base: unknown, override: unknown): unknown {
  if (LIST_OR_MAPPING.has(key) && (Array.isArray(base) || Array.isArray(override))) {
    [base, override] = [asMapping(base), asMapping(override)];
  }
  return isMapping(base) && isMapping(override) ? mergeCompose(base, override) : override;
}

/**
 * Merges a later compose file over an earlier one, as `stack deploy -c a.yml -c b.yml` does: mappings
 * merge key by key (so a service, its deploy section, a network… can be amended), `environment` and
 * `labels` merge by variable or label whichever form each file writes, and any other value (a scalar,
 * a list such as `ports` or `command`) is replaced by the later file's. Pure.
 */
export function mergeCompose(base: Readonly<Record<string, unknown>>, override: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = Object.hasOwn(base, key) ? mergeValue(key, base[key], value) : value;
  return out;
}
