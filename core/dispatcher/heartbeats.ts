import { DEFAULT_CLUSTER_SETTINGS } from '../model/types';
import type { StoreReader } from '../store/contract';

/** Periods a node may stay silent before it is DOWN (swarm mode's default). */
export const GRACE_PERIODS = 3;
/** Graces every known node gets when a monitor starts (a manager (re)start or a leader change). */
export const STARTUP_GRACES = 2;
/** Spread of announced periods around the cluster's, so nodes do not beat in step: ±10 %. */
export const PERIOD_JITTER = 0.1;

/** Starts a timer; returns a function that cancels it. Injectable so tests need not wait. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

/** The real timer. */
export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** The cluster's heartbeat period (ms): its settings, or the default before the cluster object exists. */
export function heartbeatPeriodOf(r: StoreReader): number {
  return (r.clusters.all()[0]?.settings ?? DEFAULT_CLUSTER_SETTINGS).dispatcherHeartbeatMs;
}

/** How long a node may stay silent (ms). */
export function graceMs(periodMs: number): number {
  return periodMs * GRACE_PERIODS;
}

/** A period to announce: `periodMs` ± 10 %, from `random` in [0, 1). */
export function jitteredPeriod(periodMs: number, random: () => number): number {
  return Math.round(periodMs * (1 - PERIOD_JITTER + 2 * PERIOD_JITTER * random()));
}

/** The deadline of each node known at a monitor's start: two graces from `now`. */
export function startupDeadlines(nodeIds: Iterable<string>, now: number, periodMs: number): Map<string, number> {
  const deadline = now + STARTUP_GRACES * graceMs(periodMs);
  return new Map([...nodeIds].map((id) => [id, deadline]));
}

/** Nodes whose deadline has passed at `now`. */
export function nodesToMarkDown(deadlines: ReadonlyMap<string, number>, now: number): string[] {
  return [...deadlines].filter(([, deadline]) => deadline <= now).map(([id]) => id);
}

/** The earliest deadline, when there is one: when the monitor must look next. */
export function nextDeadline(deadlines: ReadonlyMap<string, number>): number | undefined {
  let next: number | undefined;
  for (const d of deadlines.values()) if (next === undefined || d < next) next = d;
  return next;
}
