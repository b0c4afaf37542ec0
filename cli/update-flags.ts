import type { Command } from 'commander';
import { DEFAULT_UPDATE_CONFIG } from '../core/model/service-spec';
import type { UpdateConfig } from '../core/model/types';
import { UsageError } from './errors';
import { parseCount, parseDurationMs } from './format/units';

/** The `--update-*` flags of `service create` and `service update`, as commander hands them over. */
export interface UpdateConfigFlags {
  readonly updateParallelism?: string;
  readonly updateDelay?: string;
  readonly updateOrder?: string;
  readonly updateFailureAction?: string;
  readonly updateMonitor?: string;
  readonly updateMaxFailureRatio?: string;
}

function choice<T extends string>(text: string, flag: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(flag, `expected ${allowed.join(' or ')}, got "${text}"`);
  return text as T;
}

function ratio(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0 && n <= 1)) throw new UsageError('--update-max-failure-ratio', `expected a number from 0 to 1, got "${text}"`);
  return n;
}

/**
 * The update config fields the `--update-*` flags set (only those given). Pure.
 * @throws UsageError naming the flag at fault.
 */
export function updateConfigFields(flags: UpdateConfigFlags): Partial<UpdateConfig> {
  return {
    ...(flags.updateParallelism !== undefined && { parallelism: parseCount(flags.updateParallelism, '--update-parallelism') }),
    ...(flags.updateDelay !== undefined && { delayMs: parseDurationMs(flags.updateDelay, '--update-delay') }),
    ...(flags.updateOrder !== undefined && { order: choice(flags.updateOrder, '--update-order', ['stop-first', 'start-first'] as const) }),
    ...(flags.updateFailureAction !== undefined && { failureAction: choice(flags.updateFailureAction, '--update-failure-action', ['pause', 'continue'] as const) }),
    ...(flags.updateMonitor !== undefined && { monitorMs: parseDurationMs(flags.updateMonitor, '--update-monitor') }),
    ...(flags.updateMaxFailureRatio !== undefined && { maxFailureRatio: ratio(flags.updateMaxFailureRatio) }),
  };
}

/**
 * The update config of a new service: the defaults with the fields the flags set; undefined when no
 * `--update-*` flag is given (the spec then keeps no update config). Pure.
 * @throws UsageError naming the flag at fault.
 */
export function updateConfigOf(flags: UpdateConfigFlags): UpdateConfig | undefined {
  const fields = updateConfigFields(flags);
  return Object.keys(fields).length === 0 ? undefined : { ...DEFAULT_UPDATE_CONFIG, ...fields };
}

/** Adds the `--update-*` options to a command. */
export function withUpdateConfigOptions(command: Command): Command {
  return command
    .option('--update-parallelism <n>', 'tasks replaced at a time, 0 for all at once (default: 1)')
    .option('--update-delay <duration>', 'wait between batches of an update, e.g. 10s (default: 0s)')
    .option('--update-order <order>', 'stop-first or start-first (default: stop-first)')
    .option('--update-failure-action <action>', 'on too many failed tasks: pause or continue (default: pause)')
    .option('--update-monitor <duration>', 'how long after its start a failing task counts against the update (default: 5s)')
    .option('--update-max-failure-ratio <ratio>', 'share of tasks that may fail during an update, 0 to 1 (default: 0)');
}
