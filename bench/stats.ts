/** Small helpers shared by the benchmarks. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

/** Reads `--name N` integer flags over the given defaults; anything else is an error. */
export function parseBenchArgs<T extends Record<string, number>>(argv: readonly string[], defaults: T): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(key in defaults) || !Number.isInteger(value) || value <= 0) {
      throw new Error(`invalid argument ${argv[i]} ${argv[i + 1] ?? ''}: expected one of ${Object.keys(defaults).map((k) => `--${k} N`).join(', ')}`);
    }
    out[key] = value;
  }
  return out as T;
}
