import type { Bitset } from './bitset';

/** A configuration a search reached: which operations it had linearized, by kind, and the state they led to. */
export interface Visit {
  readonly required: Uint32Array;
  readonly optional: Uint32Array;
  /** Set by the search once it has explored every way on from here and none succeeded. */
  failed: boolean;
}

/**
 * The configurations a search has reached (Lowe's memoization of Wing & Gong's search), split into
 * required operations (those that returned) and optional ones (those that never did, which a
 * linearization may leave out).
 *
 * Reaching a configuration again can only repeat work, so the search skips it. It also skips one
 * that a failed configuration dominates: same state, same required operations, and a subset of its
 * optional ones. Whatever can follow the larger configuration can follow the smaller (leaving out the
 * extra optional operations changes nothing), so it would fail too.
 */
export class Memo {
  /** By state key, then by the hash of the required set. */
  private readonly seen = new Map<string, Map<number, Visit[]>>();

  /** Records a configuration and returns it, or returns undefined if it needs no exploring. */
  visit(required: Bitset, optional: Bitset, stateKey: string): Visit | undefined {
    let byRequired = this.seen.get(stateKey);
    if (byRequired === undefined) this.seen.set(stateKey, (byRequired = new Map()));
    let visits = byRequired.get(required.hash);
    if (visits === undefined) byRequired.set(required.hash, (visits = []));
    for (const v of visits) {
      if (required.equals(v.required) && (v.failed ? optional.includes(v.optional) : optional.equals(v.optional))) return undefined;
    }
    const visit = { required: required.words.slice(), optional: optional.words.slice(), failed: false };
    visits.push(visit);
    return visit;
  }
}
