import { ConflictError } from '../errors';
import type { ClusterStore, WriteTx } from './contract';

/** Tries of a write that loses races with other writers before its caller sees the conflict. */
const CONFLICT_ATTEMPTS = 5;

/**
 * Runs a write transaction, running it again (against the new state) when it loses a race with
 * another writer. For writes re-derived from what they read: the dispatcher's status writes, and API
 * calls that carry no version of their own (a caller-given version is checked inside `fn`, which then
 * fails the same way on every try).
 */
export async function updateRetrying<R>(store: ClusterStore, fn: (tx: WriteTx) => R): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await store.update(fn)).result;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= CONFLICT_ATTEMPTS) throw err;
    }
  }
}
