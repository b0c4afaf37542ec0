import type { Labels, Resources } from '../../core/model/types';

/** A duration in ms: fixed, or drawn uniformly from `[min, max]` for each task. */
export type SimDelay = number | readonly [min: number, max: number];

/** How the simulated runtime behaves; every field has a default (see {@link SIM_DEFAULTS}). */
export interface SimRuntimeOptions {
  /** The node's hostname as its description reports it. */
  readonly hostname?: string;
  /** The node's resources as its description reports them (the scheduler's resource filter uses them). */
  readonly resources?: Resources;
  /** Engine labels of the node (`engine.labels.*` constraints). */
  readonly labels?: Labels;
  /** From `start` to RUNNING. Default 0. */
  readonly startDelayMs?: SimDelay;
  /** Fraction (0–1) of tasks whose start fails (after the start delay). Default 0. */
  readonly failAtStart?: number;
  /** A fraction (0–1) of the tasks that start exit on their own after `afterMs` with `code`. Default none. */
  readonly exit?: { readonly fraction: number; readonly afterMs: SimDelay; readonly code: number };
  /** Random numbers in [0, 1) for delays and failures (seed it for repeatable runs). Default `Math.random`. */
  readonly random?: () => number;
}

/** The defaults of {@link SimRuntimeOptions}. */
export const SIM_DEFAULTS = {
  hostname: 'sim',
  resources: { nanoCpus: 8e9, memoryBytes: 32 * 1024 ** 3 },
  labels: {},
  startDelayMs: 0,
  failAtStart: 0,
} as const;

/** A delay drawn from `d` with `random`. Pure given `random`. */
export function drawDelay(d: SimDelay, random: () => number): number {
  if (typeof d === 'number') return d;
  const [min, max] = d;
  return min + Math.floor(random() * (max - min + 1));
}

/** What happens to one task once started. */
export type SimFate =
  | { readonly kind: 'run'; readonly startMs: number }
  | { readonly kind: 'fail-start'; readonly startMs: number }
  | { readonly kind: 'exit'; readonly startMs: number; readonly afterMs: number; readonly code: number };

/** Draws a task's fate from the options: its start delay, then whether it fails to start or exits later. */
export function drawFate(o: SimRuntimeOptions, random: () => number): SimFate {
  const startMs = drawDelay(o.startDelayMs ?? SIM_DEFAULTS.startDelayMs, random);
  if (random() < (o.failAtStart ?? SIM_DEFAULTS.failAtStart)) return { kind: 'fail-start', startMs };
  if (o.exit && random() < o.exit.fraction) return { kind: 'exit', startMs, afterMs: drawDelay(o.exit.afterMs, random), code: o.exit.code };
  return { kind: 'run', startMs };
}

function checkFraction(v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`runtime-sim: ${field} must be a number from 0 to 1, got ${JSON.stringify(v)}`);
  return v;
}

function checkDelay(v: unknown, field: string): SimDelay | undefined {
  if (v === undefined) return undefined;
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (ok(v)) return v as number;
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1]) && v[0] <= v[1]) return [v[0], v[1]];
  throw new Error(`runtime-sim: ${field} must be a number of ms or [min, max], got ${JSON.stringify(v)}`);
}

/**
 * Reads options from JSON (the `runtime-sim.json` of a daemon's data dir).
 * @throws Error naming the first bad field.
 */
export function parseSimOptions(json: unknown): SimRuntimeOptions {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('runtime-sim: options must be a JSON object');
  const o = json as Record<string, unknown>;
  const known = ['hostname', 'resources', 'labels', 'startDelayMs', 'failAtStart', 'exit'];
  const extra = Object.keys(o).find((k) => !known.includes(k));
  if (extra) throw new Error(`runtime-sim: unknown option "${extra}" (expected ${known.join(', ')})`);
  const exit = o.exit as Record<string, unknown> | undefined;
  if (exit !== undefined && (typeof exit !== 'object' || exit === null || !Number.isInteger(exit.code))) throw new Error('runtime-sim: exit must be { fraction, afterMs, code } with an integer code');
  return {
    ...(typeof o.hostname === 'string' && { hostname: o.hostname }),
    ...(o.resources !== undefined && { resources: o.resources as Resources }),
    ...(o.labels !== undefined && { labels: o.labels as Labels }),
    ...(o.startDelayMs !== undefined && { startDelayMs: checkDelay(o.startDelayMs, 'startDelayMs') }),
    ...(o.failAtStart !== undefined && { failAtStart: checkFraction(o.failAtStart, 'failAtStart') }),
    ...(exit !== undefined && { exit: { fraction: checkFraction(exit.fraction, 'exit.fraction') ?? 0, afterMs: checkDelay(exit.afterMs, 'exit.afterMs') ?? 0, code: exit.code as number } }),
  };
}
