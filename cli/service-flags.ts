import { ValidationError } from '../core/errors';
import { formatConstraint, parseConstraint } from '../core/model/constraints';
import type { Json } from '../core/model/check';
import { parseServiceSpec } from '../core/model/service-spec';
import type { EndpointMode, NetworkAttachmentConfig, ServiceSpec } from '../core/model/types';
import { explanation, UsageError, withFlag } from './errors';
import { parseCount, parseDurationMs } from './format/units';
import { healthcheckOf } from './health-flags';
import { parseKeyValue, parseLabels } from './key-value';
import { parseMountFlag } from './mount-flag';
import { parsePublish } from './publish';
import { entrypointOf, resourceFields, restartFields, type TaskFlags } from './task-flags';
import { configsOf, type UpdateConfigFlags } from './update-flags';

/** The flags of `service create`, as commander hands them over (repeatable flags as arrays). */
export interface ServiceCreateFlags extends TaskFlags, UpdateConfigFlags {
  readonly name: string;
  readonly replicas?: string;
  readonly mode?: string;
  readonly constraint?: readonly string[];
  readonly placementPref?: readonly string[];
  readonly publish?: readonly string[];
  /** `--mount type=…,source=…,target=…` entries. */
  readonly mount?: readonly string[];
  /** `--network NAME` or `--network name=NAME,alias=A` entries. */
  readonly network?: readonly string[];
  readonly endpointMode?: string;
  readonly env?: readonly string[];
  readonly label?: readonly string[];
}

/** Which flag sets which field of the spec, to name the flag when the spec check refuses a field. */
const FIELD_FLAGS: readonly (readonly [prefix: string, flag: string])[] = [
  ['name', '--name'],
  ['labels', '--label'],
  ['mode', '--replicas'],
  ['task.container.image', 'IMAGE'],
  ['task.container.command', '--entrypoint'],
  ['task.container.workdir', '--workdir'],
  ['task.container.args', 'COMMAND'],
  ['task.container.env', '--env'],
  ['task.container.stopGracePeriodMs', '--stop-grace-period'],
  ['task.container.mounts', '--mount'],
  ['task.container.healthcheck.test', '--health-cmd'],
  ['task.container.healthcheck.intervalMs', '--health-interval'],
  ['task.container.healthcheck.timeoutMs', '--health-timeout'],
  ['task.container.healthcheck.retries', '--health-retries'],
  ['task.container.healthcheck.startPeriodMs', '--health-start-period'],
  ['task.resources.limits.nanoCpus', '--limit-cpu'],
  ['task.resources.limits.memoryBytes', '--limit-memory'],
  ['task.resources.reservations.nanoCpus', '--reserve-cpu'],
  ['task.resources.reservations.memoryBytes', '--reserve-memory'],
  ['task.restartPolicy.condition', '--restart-condition'],
  ['task.restartPolicy.delayMs', '--restart-delay'],
  ['task.restartPolicy.maxAttempts', '--restart-max-attempts'],
  ['task.restartPolicy.windowMs', '--restart-window'],
  ['task.placement.constraints', '--constraint'],
  ['task.placement.preferences', '--placement-pref'],
  ['task.placement.maxReplicasPerNode', '--replicas-max-per-node'],
  ['networks', '--network'],
  ['endpoint.mode', '--endpoint-mode'],
  ['endpoint', '--publish'],
  ['updateConfig.parallelism', '--update-parallelism'],
  ['updateConfig.delayMs', '--update-delay'],
  ['updateConfig.order', '--update-order'],
  ['updateConfig.failureAction', '--update-failure-action'],
  ['updateConfig.monitorMs', '--update-monitor'],
  ['updateConfig.maxFailureRatio', '--update-max-failure-ratio'],
  ['rollbackConfig.parallelism', '--rollback-parallelism'],
  ['rollbackConfig.delayMs', '--rollback-delay'],
  ['rollbackConfig.order', '--rollback-order'],
  ['rollbackConfig.failureAction', '--rollback-failure-action'],
  ['rollbackConfig.monitorMs', '--rollback-monitor'],
  ['rollbackConfig.maxFailureRatio', '--rollback-max-failure-ratio'],
];

/** The flag that sets a spec field (`task.resources.limits.memoryBytes` → `--limit-memory`). */
export function flagOfField(field: string | undefined): string {
  return FIELD_FLAGS.find(([prefix]) => field?.startsWith(prefix))?.[1] ?? field ?? 'service spec';
}

function mode(flags: ServiceCreateFlags): ServiceSpec['mode'] {
  const m = flags.mode ?? 'replicated';
  if (m === 'global') {
    if (flags.replicas !== undefined) throw new UsageError('--replicas', 'cannot be used with --mode global');
    return { global: {} };
  }
  if (m !== 'replicated') throw new UsageError('--mode', `expected replicated or global, got "${m}"`);
  return { replicated: { replicas: flags.replicas === undefined ? 1 : parseCount(flags.replicas, '--replicas') } };
}

const NETWORK_FORMS = 'expected NAME or name=NAME[,alias=ALIAS]...';

/**
 * Reads a `--network` value as docker's `service create` takes it: a network name or id, or the long
 * form `name=NAME,alias=A,alias=B`.
 * @throws UsageError naming `--network`.
 */
export function parseNetworkFlag(text: string): NetworkAttachmentConfig {
  if (!text.includes('=')) {
    if (text.trim() === '') throw new UsageError('--network', 'expected a network name, got an empty string');
    return { target: text };
  }
  let target: string | undefined;
  const aliases: string[] = [];
  for (const part of text.split(',')) {
    const { key, value } = parseKeyValue(part, '--network');
    if (value === undefined || value === '') throw new UsageError('--network', `"${part}" in "${text}" has no value: ${NETWORK_FORMS}`);
    if (key === 'alias') aliases.push(value);
    else if (key !== 'name') throw new UsageError('--network', `unknown field "${key}" in "${text}": ${NETWORK_FORMS}`);
    else if (target !== undefined) throw new UsageError('--network', `"${text}" sets name twice`);
    else target = value;
  }
  if (target === undefined) throw new UsageError('--network', `"${text}" has no name: ${NETWORK_FORMS}`);
  return aliases.length > 0 ? { target, aliases } : { target };
}

function endpointMode(text: string): EndpointMode {
  if (text !== 'vip' && text !== 'dnsrr') throw new UsageError('--endpoint-mode', `expected vip or dnsrr, got "${text}"`);
  return text;
}

/** `--env` entries; a bare `KEY` takes its value from `environment`, and is dropped when unset there (as docker does). */
function env(entries: readonly string[], environment: Readonly<Record<string, string | undefined>>): string[] {
  return entries.flatMap((e) => {
    const { key, value } = parseKeyValue(e, '--env');
    const v = value ?? environment[key];
    return v === undefined ? [] : [`${key}=${v}`];
  });
}

/** A `--placement-pref` value, `spread=<node attribute>` (the strategy in any case, as docker reads it). */
export function placementPref(text: string, flag = '--placement-pref'): { spread: string } {
  const m = /^spread=(\S+)$/i.exec(text);
  if (!m) throw new UsageError(flag, `expected spread=<node attribute>, got "${text}"`);
  return { spread: m[1] };
}

/**
 * Builds the spec of `orch service create` from its flags, image and command (which become the
 * container's `args`, as docker does), then checks it as the daemon will. Pure.
 * @param environment where a bare `--env KEY` takes its value from.
 * @throws UsageError naming the flag at fault, e.g. `invalid --replicas: expected a non-negative integer, got "abc"`.
 */
export function buildServiceSpec(
  flags: ServiceCreateFlags,
  image: string,
  args: readonly string[],
  environment: Readonly<Record<string, string | undefined>> = {},
): ServiceSpec {
  const healthcheck = healthcheckOf(flags);
  const spec = {
    name: flags.name,
    labels: parseLabels(flags.label ?? [], '--label'),
    mode: mode(flags),
    task: {
      container: {
        image,
        ...(flags.entrypoint !== undefined && { command: entrypointOf(flags.entrypoint) }),
        args: [...args],
        env: env(flags.env ?? [], environment),
        ...(flags.workdir !== undefined && { workdir: flags.workdir }),
        ...(flags.stopGracePeriod !== undefined && { stopGracePeriodMs: parseDurationMs(flags.stopGracePeriod, '--stop-grace-period') }),
        ...(healthcheck && { healthcheck }),
        ...(flags.mount !== undefined && { mounts: flags.mount.map((m) => parseMountFlag(m)) }),
      },
      resources: {
        reservations: resourceFields(flags.reserveCpu, flags.reserveMemory, '--reserve'),
        limits: resourceFields(flags.limitCpu, flags.limitMemory, '--limit'),
      },
      restartPolicy: restartFields(flags),
      placement: {
        constraints: (flags.constraint ?? []).map((c) => formatConstraint(withFlag('--constraint', () => parseConstraint(c, '--constraint')))),
        preferences: (flags.placementPref ?? []).map((p) => placementPref(p)),
        ...(flags.replicasMaxPerNode !== undefined && { maxReplicasPerNode: parseCount(flags.replicasMaxPerNode, '--replicas-max-per-node') }),
      },
    },
    ...(flags.network !== undefined && { networks: flags.network.map(parseNetworkFlag) }),
    endpoint: {
      ...(flags.endpointMode !== undefined && { mode: endpointMode(flags.endpointMode) }),
      ports: (flags.publish ?? []).map((p) => parsePublish(p)),
    },
    ...configsOf(flags),
  };
  return checkedSpec(spec);
}

/**
 * A spec checked as the daemon will check it, a refused field named by the flag that sets it. Pure.
 * @throws UsageError naming the flag.
 */
export function checkedSpec(spec: Json): ServiceSpec {
  try {
    return parseServiceSpec(spec);
  } catch (err) {
    throw err instanceof ValidationError ? new UsageError(flagOfField(err.field), explanation(err)) : err;
  }
}
