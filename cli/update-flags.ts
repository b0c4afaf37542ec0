import type { Command } from 'commander';
import { DEFAULT_UPDATE_CONFIG, failureActions } from '../core/model/service-spec';
import type { UpdateConfig } from '../core/model/types';
import { UsageError } from './errors';
import { parseCount, parseDurationMs } from './format/units';

/** Which config a flag set writes: `--update-*` the update config, `--rollback-*` the rollback config. */
export type ConfigKind = 'update' | 'rollback';

type FlagSuffix = 'Parallelism' | 'Delay' | 'Order' | 'FailureAction' | 'Monitor' | 'MaxFailureRatio';

/** The `--update-*` and `--rollback-*` flags of `service create` and `service update`, as commander hands them over. */
export type UpdateConfigFlags = { readonly [K in `${ConfigKind}${FlagSuffix}`]?: string };

/** The spec field each kind of config is stored in. */
export const CONFIG_FIELD = { update: 'updateConfig', rollback: 'rollbackConfig' } as const satisfies Record<ConfigKind, string>;

function choice<T extends string>(text: string, flag: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(flag, `expected ${allowed.join(' or ')}, got "${text}"`);
  return text as T;
}

function ratio(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0 && n <= 1)) throw new UsageError(flag, `expected a number from 0 to 1, got "${text}"`);
  return n;
}

/**
 * The fields of one config that its flags set (only those given). Pure.
 * @throws UsageError naming the flag at fault.
 */
export function configFields(flags: UpdateConfigFlags, kind: ConfigKind): Partial<UpdateConfig> {
  const flag = (suffix: string) => `--${kind}-${suffix}`;
  const v = (suffix: FlagSuffix) => flags[`${kind}${suffix}`];
  const [parallelism, delay, order, action, monitor, maxRatio] = (['Parallelism', 'Delay', 'Order', 'FailureAction', 'Monitor', 'MaxFailureRatio'] as const).map(v);
  return {
    ...(parallelism !== undefined && { parallelism: parseCount(parallelism, flag('parallelism')) }),
    ...(delay !== undefined && { delayMs: parseDurationMs(delay, flag('delay')) }),
    ...(order !== undefined && { order: choice(order, flag('order'), ['stop-first', 'start-first'] as const) }),
    ...(action !== undefined && { failureAction: choice(action, flag('failure-action'), failureActions(CONFIG_FIELD[kind])) }),
    ...(monitor !== undefined && { monitorMs: parseDurationMs(monitor, flag('monitor')) }),
    ...(maxRatio !== undefined && { maxFailureRatio: ratio(maxRatio, flag('max-failure-ratio')) }),
  };
}

/**
 * The update and rollback configs of a new service: the defaults with the fields the flags set; a config
 * no flag names is left out of the spec. Pure.
 * @throws UsageError naming the flag at fault.
 */
export function configsOf(flags: UpdateConfigFlags): { updateConfig?: UpdateConfig; rollbackConfig?: UpdateConfig } {
  const of = (kind: ConfigKind) => {
    const fields = configFields(flags, kind);
    return Object.keys(fields).length === 0 ? {} : { [CONFIG_FIELD[kind]]: { ...DEFAULT_UPDATE_CONFIG, ...fields } };
  };
  return { ...of('update'), ...of('rollback') };
}

/** Adds the `--update-*` and `--rollback-*` options to a command. */
export function withUpdateConfigOptions(command: Command): Command {
  for (const [kind, what] of [
    ['update', 'an update'],
    ['rollback', 'a rollback'],
  ] as const) {
    command
      .option(`--${kind}-parallelism <n>`, `tasks replaced at a time in ${what}, 0 for all at once (default: 1)`)
      .option(`--${kind}-delay <duration>`, `wait between batches of ${what}, e.g. 10s (default: 0s)`)
      .option(`--${kind}-order <order>`, `stop-first or start-first in ${what} (default: stop-first)`)
      .option(`--${kind}-failure-action <action>`, `on too many failed tasks in ${what}: ${failureActions(CONFIG_FIELD[kind]).join(', ')} (default: pause)`)
      .option(`--${kind}-monitor <duration>`, `how long after its start a failing task counts against ${what} (default: 5s)`)
      .option(`--${kind}-max-failure-ratio <ratio>`, `share of tasks that may fail during ${what}, 0 to 1 (default: 0)`);
  }
  return command;
}
