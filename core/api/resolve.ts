import { NotFoundError, OrchError } from '../errors';
import type { StoredObject } from '../model/types';

/**
 * Finds one object by a user's reference, as docker does: exact id, then exact name, then a unique
 * id prefix. An ambiguous prefix is an error that says so.
 */
export function resolveRef<T extends StoredObject>(kind: string, ref: string, all: readonly T[], nameOf: (o: T) => string): T {
  const byId = all.find((o) => o.id === ref);
  if (byId) return byId;
  const byName = all.filter((o) => nameOf(o) === ref);
  if (byName.length === 1) return byName[0];
  const byPrefix = all.filter((o) => o.id.startsWith(ref));
  if (byPrefix.length === 1 && ref.length > 0) return byPrefix[0];
  if (byName.length > 1 || byPrefix.length > 1) throw new OrchError('invalid', `${kind} ${ref} is ambiguous (${Math.max(byName.length, byPrefix.length)} matches)`);
  throw new NotFoundError(kind, ref);
}
