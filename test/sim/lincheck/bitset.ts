/** A well-mixed 32-bit value for bit `i` (the murmur3 finalizer), so XOR-ing them hashes a set. */
function bitHash(i: number): number {
  let h = Math.imul(i + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A set of integers in [0, size) packed in 32-bit words, with a hash kept up to date as bits change
 * (the XOR of a fixed random-looking value per member), so hashing costs nothing per lookup.
 */
export class Bitset {
  readonly words: Uint32Array;
  /** A hash of the members; equal sets have equal hashes. */
  hash = 0;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  /** Adds `i`, which must not be a member. */
  add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hash = (this.hash ^ bitHash(i)) >>> 0;
  }

  /** Removes `i`, which must be a member. */
  remove(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
    this.hash = (this.hash ^ bitHash(i)) >>> 0;
  }
}
