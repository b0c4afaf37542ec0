import type { ContainerSpec, HealthConfig, ServiceSpec } from '../../core/model/types';
import { UsageError } from '../errors';
import { parseDurationMs } from '../format/units';
import { healthcheckOf } from '../health-flags';
import { parseKeyValue } from '../key-value';
import { parseMountFlag } from '../mount-flag';
import { splitShellWords } from '../shell-words';
import { entrypointOf } from '../task-flags';
import { unchanged, type FlagGroup } from './flag-group';

/** `spec` with container fields replaced. */
function withContainer(spec: ServiceSpec, fields: Partial<ContainerSpec>): ServiceSpec {
  return { ...spec, task: { ...spec.task, container: { ...spec.task.container, ...fields } } };
}

/** `--image`: the image the tasks run. */
export const imageChange: FlagGroup = (flags) => {
  const image = flags.image;
  if (image !== undefined && !/^\S+$/.test(image)) throw new UsageError('--image', `expected an image reference, got "${image}"`);
  return (spec) => (image === undefined ? spec : withContainer(spec, { image }));
};

/** `--env-rm K` then `--env-add K=V`, as docker applies them: an added key replaces the entry of that key. */
export const envChanges: FlagGroup = (flags) => {
  const remove = (flags.envRm ?? []).map((k) => parseKeyValue(k, '--env-rm').key);
  const add = (flags.envAdd ?? []).map((e) => {
    const { key, value } = parseKeyValue(e, '--env-add');
    if (value === undefined) throw new UsageError('--env-add', `expected KEY=VALUE, got "${e}"`);
    return { key, entry: `${key}=${value}` };
  });
  if (remove.length === 0 && add.length === 0) return unchanged;
  const keyOf = (entry: string) => entry.slice(0, entry.indexOf('='));
  const gone = new Set([...remove, ...add.map((a) => a.key)]);
  return (spec) => {
    const env = [...spec.task.container.env.filter((e) => !gone.has(keyOf(e))), ...add.map((a) => a.entry)];
    return withContainer(spec, { env });
  };
};

/** `--args "…"`: the container's arguments, split as a shell would. */
export const argsChange: FlagGroup = (flags) => {
  if (flags.args === undefined) return unchanged;
  let args: string[];
  try {
    args = splitShellWords(flags.args);
  } catch (err) {
    throw new UsageError('--args', (err as Error).message);
  }
  return (spec) => withContainer(spec, { args });
};


/** `--entrypoint "…"`: the command that replaces the image's entrypoint. */
export const entrypointChange: FlagGroup = (flags) => {
  if (flags.entrypoint === undefined) return unchanged;
  const command = entrypointOf(flags.entrypoint);
  return (spec) => withContainer(spec, { command });
};

/** `--mount-rm TARGET` then `--mount-add MOUNT`: an added mount replaces the one at its target. */
export const mountChanges: FlagGroup = (flags) => {
  const remove = flags.mountRm ?? [];
  const add = (flags.mountAdd ?? []).map((m) => parseMountFlag(m, '--mount-add'));
  if (remove.length === 0 && add.length === 0) return unchanged;
  return (spec, current) => {
    const mounts = spec.task.container.mounts ?? [];
    for (const target of remove) {
      if (!mounts.some((m) => m.target === target)) throw new UsageError('--mount-rm', `service ${current.spec.name} mounts nothing at "${target}"`);
    }
    const gone = new Set([...remove, ...add.map((m) => m.target)]);
    return withContainer(spec, { mounts: [...mounts.filter((m) => !gone.has(m.target)), ...add] });
  };
};

/** `--workdir DIR`: the command's working directory. */
export const workdirChange: FlagGroup = (flags) => {
  const workdir = flags.workdir;
  return workdir === undefined ? unchanged : (spec) => withContainer(spec, { workdir });
};

/** `--stop-grace-period`: how long a task has to stop before it is killed. */
export const stopGraceChange: FlagGroup = (flags) => {
  if (flags.stopGracePeriod === undefined) return unchanged;
  const stopGracePeriodMs = parseDurationMs(flags.stopGracePeriod, '--stop-grace-period');
  return (spec) => withContainer(spec, { stopGracePeriodMs });
};

/**
 * The health flags: `--no-healthcheck`; a new check (`--health-cmd|http|tcp`, keeping the current check's
 * timings unless given); or timings alone, which adjust the service's own check.
 */
export const healthChange: FlagGroup = (flags) => {
  const timingsOnly = flags.healthCmd === undefined && flags.healthHttp === undefined && flags.healthTcp === undefined && flags.healthcheck !== false;
  // healthcheckOf refuses timings without a check: read them alone against a stand-in check.
  const given = healthcheckOf(timingsOnly ? { ...flags, healthCmd: 'true' } : flags) as Partial<HealthConfig> | undefined;
  if (given === undefined || (timingsOnly && Object.keys(given).length === 1)) return unchanged;
  return (spec, current) => {
    const now = spec.task.container.healthcheck;
    const own = now !== undefined && now.test[0] !== 'NONE' ? now : undefined;
    if (timingsOnly && own === undefined) {
      throw new UsageError('--health-interval', `service ${current.spec.name} has no health check of its own to adjust: give --health-cmd, --health-http or --health-tcp`);
    }
    const healthcheck = given.test?.[0] === 'NONE' ? given : { ...own, ...given, ...(timingsOnly && { test: own!.test }) };
    return withContainer(spec, { healthcheck: healthcheck as HealthConfig });
  };
};
