/**
 * Read-only views that lay one scheduling pass's placements over the store's: counts add up, sets join.
 * Live: they see later changes to either side without being rebuilt.
 */

/** Counts of `base` and `extra` added up per key. */
export class SumMap implements ReadonlyMap<string, number> {
  constructor(
    private readonly base: ReadonlyMap<string, number>,
    private readonly extra: ReadonlyMap<string, number>,
  ) {}

  get(key: string): number | undefined {
    const a = this.base.get(key);
    const b = this.extra.get(key);
    return a === undefined ? b : a + (b ?? 0);
  }
  has(key: string): boolean {
    return this.base.has(key) || this.extra.has(key);
  }
  get size(): number {
    let n = this.base.size;
    for (const k of this.extra.keys()) if (!this.base.has(k)) n++;
    return n;
  }
  *entries(): MapIterator<[string, number]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }
  *keys(): MapIterator<string> {
    yield* this.base.keys();
    for (const k of this.extra.keys()) if (!this.base.has(k)) yield k;
  }
  *values(): MapIterator<number> {
    for (const k of this.keys()) yield this.get(k)!;
  }
  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
  forEach(fn: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** The members of `base` and `extra`. */
export class UnionSet implements ReadonlySet<string> {
  constructor(
    private readonly base: ReadonlySet<string>,
    private readonly extra: ReadonlySet<string>,
  ) {}

  has(key: string): boolean {
    return this.base.has(key) || this.extra.has(key);
  }
  get size(): number {
    let n = this.base.size;
    for (const k of this.extra) if (!this.base.has(k)) n++;
    return n;
  }
  *values(): SetIterator<string> {
    yield* this.base;
    for (const k of this.extra) if (!this.base.has(k)) yield k;
  }
  keys(): SetIterator<string> {
    return this.values();
  }
  *entries(): SetIterator<[string, string]> {
    for (const k of this.values()) yield [k, k];
  }
  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }
  forEach(fn: (value: string, key: string, set: ReadonlySet<string>) => void): void {
    for (const k of this.values()) fn(k, k, this);
  }
}
