import type { Logger } from 'pino';
import type { HealthContext, Hooks } from '../hooks';
import type { HealthConfig, Task } from '../model/types';
import { afterProbe, INITIAL_HEALTH, probeOf, type HealthState } from './health-state';

/** What a {@link HealthMonitor} needs. */
export interface HealthMonitorOptions {
  readonly task: Task;
  readonly config: HealthConfig;
  readonly hooks: Hooks;
  readonly context: HealthContext;
  readonly log: Logger;
  /** The task passed a probe after not being healthy. */
  onHealthy(): void;
  /** The task failed `retries` probes in a row; the monitor has stopped. `output` is the last probe's. */
  onUnhealthy(output: string): void;
}

/**
 * Probes one task's health through the `health.check` hook: the first probe one interval after start,
 * each next one an interval after the last ended. A probe that no tap answers, that throws, or that takes
 * longer than its timeout fails.
 */
export class HealthMonitor {
  private state: HealthState = INITIAL_HEALTH;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly startedAt = Date.now();

  constructor(private readonly options: HealthMonitorOptions) {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.probe(), this.options.config.intervalMs);
  }

  private async probe(): Promise<void> {
    const { task, config, hooks, context, log } = this.options;
    const probe = probeOf(config);
    if (!probe || this.stopped) return;
    let result: { healthy: boolean; output: string };
    try {
      const hook = hooks.health.check.get(probe.kind);
      const answer = hook ? await withTimeout(hook.promise(task, probe, context), probe.timeoutMs) : undefined;
      result = answer ?? { healthy: false, output: `no health checker for "${probe.kind}" probes on this node` };
    } catch (err) {
      result = { healthy: false, output: (err as Error).message };
    }
    if (this.stopped) return;
    const { state, verdict } = afterProbe(this.state, result.healthy, Date.now() - this.startedAt, config);
    this.state = state;
    if (!result.healthy) log.debug({ task: task.id, output: result.output, failures: state.failures }, 'health probe failed');
    if (verdict === 'healthy') this.options.onHealthy();
    if (verdict === 'unhealthy') {
      this.stop();
      this.options.onUnhealthy(result.output);
      return;
    }
    this.schedule();
  }
}

/** `p`, or a rejection once `ms` pass. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`health check exceeded its timeout (${ms} ms)`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
