import type { Bitset } from './bitset';

/** A configuration the memo recorded, as its position in the memo's store. */
export type Visit = number;

/** Per recorded configuration, before its sets' words: the next with the same state and hash, and whether it failed. */
const NEXT = 0;
const FAILED = 1;
const HEADER = 2;

/**
 * The configurations a search has reached (Lowe's memoization of Wing & Gong's search): which
 * operations it had linearized and the state they led to, with required operations (those that
 * returned) apart from optional ones (those that never did, which a linearization may leave out).
 *
 * Reaching a configuration again can only repeat work, so the search skips it. It also skips one
 * that a failed configuration dominates: same state, same required operations, and a subset of its
 * optional ones. Whatever can follow the larger configuration can follow the smaller (leaving out the
 * extra optional operations changes nothing), so it would fail too.
 *
 * Configurations are kept in one growing array, chained by state key and hash of the required set,
 * so recording one allocates nothing per configuration.
 */
export class Memo {
  private store = new Uint32Array(1 << 12);
  /** Where the next configuration goes; 0 is never a configuration, so it ends chains. */
  private end = 1;
  /** By state key, then by the hash of the required set: the latest configuration recorded, which chains to the others. */
  private readonly chains = new Map<string, Map<number, Visit>>();

  constructor(
    private readonly requiredWords: number,
    private readonly optionalWords: number,
  ) {}

  /** Records a configuration and returns it, or returns undefined if it needs no exploring. */
  visit(required: Bitset, optional: Bitset, stateKey: string): Visit | undefined {
    let byHash = this.chains.get(stateKey);
    if (byHash === undefined) this.chains.set(stateKey, (byHash = new Map()));
    const head = byHash.get(required.hash) ?? 0;
    for (let v = head; v !== 0; v = this.store[v + NEXT]) {
      if (this.dominates(v, required, optional)) return undefined;
    }
    const visit = this.append(required, optional, head);
    byHash.set(required.hash, visit);
    return visit;
  }

  /** Marks a configuration as explored without success. */
  fail(visit: Visit): void {
    this.store[visit + FAILED] = 1;
  }

  /** Whether recorded configuration `v` is this one, or failed with the same required set and a subset of the optional. */
  private dominates(v: Visit, required: Bitset, optional: Bitset): boolean {
    const words = this.store;
    let at = v + HEADER;
    for (let w = 0; w < this.requiredWords; w++, at++) if (words[at] !== required.words[w]) return false;
    const failed = words[v + FAILED] === 1;
    for (let w = 0; w < this.optionalWords; w++, at++) {
      const recorded = words[at];
      if (failed ? (recorded & ~optional.words[w]) !== 0 : recorded !== optional.words[w]) return false;
    }
    return true;
  }

  private append(required: Bitset, optional: Bitset, next: Visit): Visit {
    const size = HEADER + this.requiredWords + this.optionalWords;
    if (this.end + size > this.store.length) {
      const grown = new Uint32Array(Math.max(this.store.length * 2, this.end + size));
      grown.set(this.store);
      this.store = grown;
    }
    const visit = this.end;
    this.store[visit + NEXT] = next;
    this.store.set(required.words, visit + HEADER);
    this.store.set(optional.words, visit + HEADER + this.requiredWords);
    this.end += size;
    return visit;
  }
}
