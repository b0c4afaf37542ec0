/** Which seeds a simulation test runs, from the environment. */
export interface SeedPlan {
  readonly seeds: readonly number[];
  /** One seed given on purpose: print a long trace when it fails. */
  readonly verbose: boolean;
}

/**
 * `ORCH_SIM_SEED=n` runs exactly seed n, verbosely; `ORCH_SIM_SEEDS=n` runs seeds 1..n; otherwise
 * seeds 1..`defaultCount`.
 */
export function seedPlan(defaultCount: number, env: NodeJS.ProcessEnv = process.env): SeedPlan {
  const one = parseCount('ORCH_SIM_SEED', env.ORCH_SIM_SEED, 0);
  if (one !== undefined) return { seeds: [one], verbose: true };
  const count = parseCount('ORCH_SIM_SEEDS', env.ORCH_SIM_SEEDS, 1) ?? defaultCount;
  return { seeds: Array.from({ length: count }, (_, i) => i + 1), verbose: false };
}

/** How to run one seed again. */
export function replayHint(seed: number): string {
  return `replay with ORCH_SIM_SEED=${seed} npx jest test/sim --selectProjects sim`;
}

function parseCount(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}
