import { seededRandom } from '../../../plugins/store-raft/random';

/**
 * A seeded source of random choices for simulations. Everything random in a run draws from one `Rng`
 * (or from streams forked off it), so the same seed replays the same run.
 */
export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** A number in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('Rng.pick from an empty list');
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** A key of `weights` drawn in proportion to its weight (keys with weight 0 never come up). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const keys = Object.keys(weights) as K[];
    const total = keys.reduce((sum, k) => sum + weights[k], 0);
    let r = this.next() * total;
    for (const k of keys) {
      r -= weights[k];
      if (r < 0) return k;
    }
    return keys[keys.length - 1];
  }

  /** A shuffled copy of `xs`. */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** An independent stream seeded from this one (its own sequence, so that users do not disturb each other). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 0x1_0000_0000));
  }

  /** A plain `() => number` in [0, 1) drawn from a fork, for APIs such as RaftConfig.random. */
  forkFn(): () => number {
    const f = this.fork();
    return () => f.float();
  }
}
