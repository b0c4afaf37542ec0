import type { StoredObject } from '../model/types';

/** The top-level fields an update changes and drops; `meta` is the store's and never part of it. */
export interface Patch {
  readonly set: Record<string, unknown>;
  readonly unset?: string[];
}

/**
 * The top-level difference from `base` to `next`, by reference: writers copy an object with the fields
 * they change replaced (`{ ...task, status }`), so an unchanged field is the same object. A field set to
 * undefined counts as dropped, as JSON would drop it. Pure.
 */
export function topLevelPatch(base: StoredObject, next: StoredObject): Patch {
  const was = base as unknown as Record<string, unknown>;
  const now = next as unknown as Record<string, unknown>;
  const set: Record<string, unknown> = {};
  let unset: string[] | undefined;
  for (const k of Object.keys(now)) {
    if (k !== 'meta' && now[k] !== undefined && now[k] !== was[k]) set[k] = now[k];
  }
  for (const k of Object.keys(was)) {
    if (k !== 'meta' && was[k] !== undefined && now[k] === undefined) (unset ??= []).push(k);
  }
  return unset ? { set, unset } : { set };
}

/** `base` with a patch laid over it and the given meta (its id stays). Pure: `base` is left as it is. */
export function applyPatch<T extends StoredObject>(base: T, patch: { readonly set: Readonly<Record<string, unknown>>; readonly unset?: readonly string[] }, meta: StoredObject['meta']): T {
  const out: Record<string, unknown> = { ...(base as unknown as Record<string, unknown>), ...patch.set, id: base.id, meta };
  for (const k of patch.unset ?? []) delete out[k];
  return out as unknown as T;
}
