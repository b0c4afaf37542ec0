import type { Command } from 'commander';
import type { Resources, RestartPolicy } from '../core/model/types';
import { UsageError } from './errors';
import { parseBytes, parseCount, parseDurationMs, parseNanoCpus } from './format/units';
import type { HealthFlags } from './health-flags';
import { splitShellWords } from './shell-words';

/** The task flags `service create` and `service update` share, as commander hands them over. */
export interface TaskFlags extends HealthFlags {
  readonly reserveCpu?: string;
  readonly reserveMemory?: string;
  readonly limitCpu?: string;
  readonly limitMemory?: string;
  readonly restartCondition?: string;
  readonly restartDelay?: string;
  readonly restartMaxAttempts?: string;
  readonly restartWindow?: string;
  readonly stopGracePeriod?: string;
  readonly entrypoint?: string;
  readonly workdir?: string;
  readonly replicasMaxPerNode?: string;
}

/** The resources one pair of `--reserve-*` or `--limit-*` flags sets (only those given). Pure. */
export function resourceFields(cpu: string | undefined, memory: string | undefined, prefix: '--reserve' | '--limit'): Partial<Resources> {
  return {
    ...(cpu !== undefined && { nanoCpus: parseNanoCpus(cpu, `${prefix}-cpu`) }),
    ...(memory !== undefined && { memoryBytes: parseBytes(memory, `${prefix}-memory`) }),
  };
}

/** The restart policy fields the `--restart-*` flags set (only those given; the condition is checked with the spec). Pure. */
export function restartFields(flags: TaskFlags): Partial<Record<keyof RestartPolicy, unknown>> {
  return {
    ...(flags.restartCondition !== undefined && { condition: flags.restartCondition }),
    ...(flags.restartDelay !== undefined && { delayMs: parseDurationMs(flags.restartDelay, '--restart-delay') }),
    ...(flags.restartMaxAttempts !== undefined && { maxAttempts: parseCount(flags.restartMaxAttempts, '--restart-max-attempts') }),
    ...(flags.restartWindow !== undefined && { windowMs: parseDurationMs(flags.restartWindow, '--restart-window') }),
  };
}

/** `--entrypoint "…"`: the command, split as a shell would. @throws UsageError naming `--entrypoint`. */
export function entrypointOf(text: string): string[] {
  let words: string[];
  try {
    words = splitShellWords(text);
  } catch (err) {
    throw new UsageError('--entrypoint', (err as Error).message);
  }
  if (words.length === 0) throw new UsageError('--entrypoint', 'expected a command, got an empty string');
  return words;
}

/** Adds the task options `service create` and `service update` share. */
export function withTaskOptions(command: Command): Command {
  return command
    .option('--replicas-max-per-node <n>', 'most tasks of the service on one node (default: 0, no limit)')
    .option('--reserve-cpu <cpus>', 'CPUs to reserve, e.g. 0.5')
    .option('--reserve-memory <bytes>', 'memory to reserve, e.g. 512m')
    .option('--limit-cpu <cpus>', 'CPU limit, e.g. 1.5')
    .option('--limit-memory <bytes>', 'memory limit, e.g. 1g')
    .option('--restart-condition <condition>', 'restart when: any, on-failure or none (default: any)')
    .option('--restart-delay <duration>', 'delay between restart attempts, e.g. 5s (default: 5s)')
    .option('--restart-max-attempts <n>', 'maximum restarts before giving up (default: unlimited)')
    .option('--restart-window <duration>', 'window over which restarts are counted, e.g. 1m (default: unbounded)')
    .option('--stop-grace-period <duration>', 'time to wait before killing a task, e.g. 10s (default: 10s)')
    .option('--health-cmd <command>', 'command to run in the task to check its health (run with /bin/sh -c)')
    .option('--health-http <port/path>', "check health with a GET at the task's address, e.g. 8080/healthz (2xx or 3xx is healthy)")
    .option('--health-tcp <port>', 'check health by connecting to a port of the task')
    .option('--health-interval <duration>', 'time between health checks, e.g. 5s (default: 30s)')
    .option('--health-timeout <duration>', 'longest a health check may run (default: 30s)')
    .option('--health-retries <n>', 'consecutive failures that make a task unhealthy (default: 3)')
    .option('--health-start-period <duration>', 'time after start in which failures do not count (default: 0s)')
    .option('--no-healthcheck', "disable any health check, the image's too")
    .option('--entrypoint <command>', "override the image's entrypoint")
    .option('-w, --workdir <dir>', 'working directory of the command');
}
