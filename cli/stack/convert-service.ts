import * as path from 'node:path';
import { ValidationError } from '../../core/errors';
import { parseServiceSpec } from '../../core/model/service-spec';
import type { ServiceSpec } from '../../core/model/types';
import { explanation, UsageError } from '../errors';
import type { ReadText } from './compose-load';
import { convertDeploy } from './convert-deploy';
import { convertHealthcheck } from './convert-healthcheck';
import { convertPorts } from './convert-ports';
import { convertMounts, type MountContext } from './convert-volumes';
import { parseEnvFile } from './dotenv';
import type { Lookup } from './interpolate';
import { IMAGE_LABEL, scopedName, withNamespace } from './namespace';
import { isMapping, itemPath, keyPath } from './paths';
import { duration, keyValues, labels, list, mapping, text, texts, words } from './values';

/** What a service is converted against: its stack, its networks and volumes, and where files and variables come from. */
export interface ServiceContext extends MountContext {
  readonly stack: string;
  /** Where a bare `environment` key takes its value from. */
  readonly lookup: Lookup;
  /** Reads `env_file`s. */
  readonly read: ReadText;
  /** The cluster name of each network of the stack, by compose key. */
  readonly networks: ReadonlyMap<string, string>;
}

/** A network a service joins, by compose key, with the aliases the file gives it there. */
export interface ServiceNetwork {
  readonly key: string;
  readonly aliases: readonly string[];
}

/**
 * The networks a service lists (a list of keys, or a mapping of keys to `aliases`); a service that lists
 * none joins the stack's `default` network, as docker does. Pure.
 */
export function serviceNetworks(service: Readonly<Record<string, unknown>>, p: string): ServiceNetwork[] {
  const np = keyPath(p, 'networks');
  const v = service.networks;
  const networks = isMapping(v)
    ? Object.entries(v).map(([key, x]) => ({ key, aliases: texts(mapping(x, keyPath(np, key)).aliases ?? [], keyPath(np, `${key}.aliases`)) }))
    : list(v, np).map((x, i) => ({ key: text(x, itemPath(np, i)), aliases: [] }));
  return networks.length > 0 ? networks : [{ key: 'default', aliases: [] }];
}

/** `env_file`s (relative to the compose file), then `environment` over them; a bare key takes its value from the environment, or is left out. Sorted, as docker sorts. */
function envOf(service: Readonly<Record<string, unknown>>, p: string, ctx: ServiceContext): string[] {
  const env = new Map<string, string>();
  const set = (key: string, value: string | undefined) => {
    const v = value ?? ctx.lookup(key);
    if (v !== undefined) env.set(key, v);
  };
  for (const file of service.env_file === undefined ? [] : texts(service.env_file, keyPath(p, 'env_file'))) {
    const at = `${keyPath(p, 'env_file')} (${file})`;
    const content = ctx.read(path.resolve(ctx.workingDir, file));
    if (content === undefined) throw new UsageError(at, 'no such file');
    for (const line of parseEnvFile(content, at)) set(line.key, line.value);
  }
  for (const [key, value] of keyValues(service.environment, keyPath(p, 'environment'))) set(key, value);
  return [...env.keys()].sort().map((k) => `${k}=${env.get(k)}`);
}

/** Which compose key sets which field of the spec, to name the key when the spec check refuses the field. */
const COMPOSE_KEYS: readonly (readonly [field: string, key: string])[] = [
  ['labels', 'deploy.labels'],
  ['mode', 'deploy.replicas'],
  ['task.container.image', 'image'],
  ['task.container.command', 'entrypoint'],
  ['task.container.args', 'command'],
  ['task.container.env', 'environment'],
  ['task.container.labels', 'labels'],
  ['task.container.stopGracePeriodMs', 'stop_grace_period'],
  ['task.container.healthcheck', 'healthcheck'],
  ['task.container.mounts', 'volumes'],
  ['task.resources.limits.memoryBytes', 'deploy.resources.limits.memory'],
  ['task.resources.limits.nanoCpus', 'deploy.resources.limits.cpus'],
  ['task.resources.reservations.memoryBytes', 'deploy.resources.reservations.memory'],
  ['task.resources.reservations.nanoCpus', 'deploy.resources.reservations.cpus'],
  ['task.restartPolicy', 'deploy.restart_policy'],
  ['task.placement', 'deploy.placement'],
  ['networks', 'networks'],
  ['endpoint.mode', 'deploy.endpoint_mode'],
  ['endpoint', 'ports'],
  ['updateConfig', 'deploy.update_config'],
  ['rollbackConfig', 'deploy.rollback_config'],
];

/** The spec checked as the daemon will check it, a refused field named by the compose key that sets it. */
function checked(spec: Record<string, unknown>, p: string): ServiceSpec {
  try {
    return parseServiceSpec(spec);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const key = COMPOSE_KEYS.find(([field]) => err.field?.startsWith(field))?.[1];
    throw new UsageError(key === undefined ? p : keyPath(p, key), explanation(err));
  }
}

/**
 * Converts one compose service into the spec of service `STACK_name`, as docker's stack deploy does:
 * `image`, `command` (the task's args), `entrypoint`, `environment` and `env_file`, `labels` (the
 * container's) and `deploy.labels` (the service's, with `com.docker.stack.image`), `ports`, `volumes`,
 * `tmpfs`, `networks` (the short name `name` an alias on each), `healthcheck`, `stop_grace_period`,
 * `restart` and `deploy`. Everything is labelled with the stack's namespace. Pure.
 * @throws UsageError naming the path of a bad value, e.g. `services.web.deploy.replicas`.
 */
export function convertService(name: string, v: unknown, ctx: ServiceContext): ServiceSpec {
  const p = keyPath('services', name);
  const service = mapping(v, p);
  if (service.image === undefined) throw new UsageError(keyPath(p, 'image'), 'required: orch runs images, it does not build them');
  const image = text(service.image, keyPath(p, 'image'));
  const deploy = convertDeploy(service, p);
  const healthcheck = service.healthcheck === undefined ? undefined : convertHealthcheck(service.healthcheck, keyPath(p, 'healthcheck'));
  const mounts = convertMounts(service, p, ctx);
  const networks = serviceNetworks(service, p).map((n) => ({ target: ctx.networks.get(n.key) ?? n.key, aliases: [...new Set([name, ...n.aliases])] }));
  return checked(
    {
      name: scopedName(ctx.stack, name),
      labels: { ...withNamespace(ctx.stack, deploy.labels), [IMAGE_LABEL]: image },
      mode: deploy.mode,
      task: {
        container: {
          image,
          ...(service.entrypoint !== undefined && { command: words(service.entrypoint, keyPath(p, 'entrypoint')) }),
          args: service.command === undefined ? [] : words(service.command, keyPath(p, 'command')),
          env: envOf(service, p, ctx),
          labels: withNamespace(ctx.stack, labels(service.labels, keyPath(p, 'labels'))),
          ...(service.stop_grace_period !== undefined && { stopGracePeriodMs: duration(service.stop_grace_period, keyPath(p, 'stop_grace_period')) }),
          ...(healthcheck && { healthcheck }),
          ...(mounts.length > 0 && { mounts }),
        },
        resources: deploy.resources,
        restartPolicy: deploy.restartPolicy,
        placement: deploy.placement,
      },
      networks,
      endpoint: { ...(deploy.endpointMode && { mode: deploy.endpointMode }), ports: convertPorts(service.ports, keyPath(p, 'ports')) },
      ...(deploy.updateConfig && { updateConfig: deploy.updateConfig }),
      ...(deploy.rollbackConfig && { rollbackConfig: deploy.rollbackConfig }),
    },
    p,
  );
}
