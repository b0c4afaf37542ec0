import type { HealthCheckKind, HealthProbe } from '../hooks';
import type { HealthConfig } from '../model/types';

/** Where a task's health stands between probes. */
export interface HealthState {
  /** Whether a probe has ever succeeded. */
  readonly everHealthy: boolean;
  /** Consecutive failures that counted. */
  readonly failures: number;
  /** Whether the task is healthy now (false before the first success). */
  readonly healthy: boolean;
}

export const INITIAL_HEALTH: HealthState = { everHealthy: false, failures: 0, healthy: false };

/** What a probe's result means for the task. */
export type HealthVerdict = 'healthy' | 'unhealthy' | 'unchanged';

/**
 * The state after a probe `sinceStartMs` after the task started, and whether the task just became healthy
 * (first success, or a success after failures) or unhealthy (`retries` consecutive failures). Failures in
 * the start period do not count until the task was healthy once, as Docker has it. Pure.
 */
export function afterProbe(state: HealthState, ok: boolean, sinceStartMs: number, config: HealthConfig): { state: HealthState; verdict: HealthVerdict } {
  if (ok) {
    const next = { everHealthy: true, failures: 0, healthy: true };
    return { state: next, verdict: state.healthy ? 'unchanged' : 'healthy' };
  }
  if (!state.everHealthy && sinceStartMs < config.startPeriodMs) return { state, verdict: 'unchanged' };
  const failures = state.failures + 1;
  if (failures >= config.retries) return { state: { ...state, failures, healthy: false }, verdict: 'unhealthy' };
  return { state: { ...state, failures }, verdict: 'unchanged' };
}

/** The probe a health check's `test` asks for; undefined for `NONE`. */
export function probeOf(config: HealthConfig): HealthProbe | undefined {
  const [kind, ...rest] = config.test;
  const probe = (k: HealthCheckKind, target: readonly string[]): HealthProbe => ({ kind: k, target, timeoutMs: config.timeoutMs });
  switch (kind) {
    case 'CMD':
      return probe('exec', rest);
    case 'CMD-SHELL':
      return probe('exec', ['/bin/sh', '-c', rest[0]]);
    case 'HTTP':
      return probe('http', rest);
    case 'TCP':
      return probe('tcp', rest);
    default:
      return undefined;
  }
}

/** The health check a task runs: its spec's (`NONE` turns off even the image's), else its image's. */
export function effectiveHealthcheck(spec: HealthConfig | undefined, image: HealthConfig | undefined): HealthConfig | undefined {
  const chosen = spec ?? image;
  return chosen && chosen.test[0] !== 'NONE' ? chosen : undefined;
}
