import type { Command } from 'commander';
import { DEFAULT_UPDATE_CONFIG } from '../../../core/model/service-spec';
import type { PortConfig, Protocol, Service, ServiceSpec } from '../../../core/model/types';
import { println, withDaemon, type CliEnv } from '../../context';
import { UsageError } from '../../errors';
import { collect } from '../../options';
import { showProgress } from '../../progress/monitor';
import { parseCount } from '../../format/units';
import { parseKeyValue } from '../../key-value';
import { parsePublish, parsePublishedPort } from '../../publish';
import { splitShellWords } from '../../shell-words';
import { updateConfigFields, withUpdateConfigOptions, type UpdateConfigFlags } from '../../update-flags';

/** The flags of `service update`, as commander hands them over (repeatable flags as arrays). */
export interface ServiceUpdateFlags extends UpdateConfigFlags {
  readonly publishAdd?: readonly string[];
  readonly publishRm?: readonly string[];
  readonly image?: string;
  readonly envAdd?: readonly string[];
  readonly envRm?: readonly string[];
  readonly args?: string;
  readonly replicas?: string;
  readonly force?: boolean;
  readonly detach?: boolean;
}

/** How one group of update flags changes a service's spec (`current` is the service as read). Pure. */
export type SpecChange = (spec: ServiceSpec, current: Service) => ServiceSpec;

/** Reads one group of update flags into the change they make; UsageErrors come from here, before any call. */
export type FlagGroup = (flags: ServiceUpdateFlags) => SpecChange;

/** The ports a `--publish-rm` value names: by protocol, and by published and/or target port. */
export interface PortSelector {
  readonly text: string;
  readonly protocol: Protocol;
  readonly publishedPort?: number;
  readonly targetPort?: number;
}

const RM = '--publish-rm';

/**
 * Reads a `--publish-rm` value as docker does: `PUBLISHED[/PROTOCOL]` (protocol tcp unless given), or a
 * full publish spec (`8080:80`, `published=8080,target=80`, `target=80`), whose ports must all match.
 * @throws UsageError naming `--publish-rm`.
 */
export function parsePortSelector(text: string): PortSelector {
  if (!/[:=,]/.test(text)) return { text, ...parsePublishedPort(text, RM) };
  const p = parsePublish(text, RM);
  return { text, protocol: p.protocol, targetPort: p.targetPort, ...(p.publishedPort !== 0 && { publishedPort: p.publishedPort }) };
}

/**
 * The published port a spec port has: its own, else the one allocated to it (the endpoint lists the
 * allocated ports in the spec's order).
 */
function publishedPortOf(spec: ServiceSpec, i: number, current: Service): number {
  return spec.endpoint.ports[i].publishedPort || (current.endpoint.ports[i]?.publishedPort ?? 0);
}

function selects(s: PortSelector, p: PortConfig, published: number): boolean {
  return p.protocol === s.protocol && (s.publishedPort === undefined || s.publishedPort === published) && (s.targetPort === undefined || s.targetPort === p.targetPort);
}

const samePort = (a: PortConfig, b: PortConfig) => a.protocol === b.protocol && a.targetPort === b.targetPort && a.publishedPort === b.publishedPort && a.publishMode === b.publishMode;

/**
 * `--publish-rm` then `--publish-add`, as docker applies them: removes every port a selector names (a
 * selector that names none is refused), then appends each added port that is not there already.
 */
export const portChanges: FlagGroup = (flags) => {
  const remove = (flags.publishRm ?? []).map(parsePortSelector);
  const add = (flags.publishAdd ?? []).map((text) => parsePublish(text, '--publish-add'));
  return (spec, current) => {
    const removed = new Set<number>();
    for (const s of remove) {
      const hits = spec.endpoint.ports.flatMap((p, i) => (selects(s, p, publishedPortOf(spec, i, current)) ? [i] : []));
      if (hits.length === 0) throw new UsageError(RM, `"${s.text}" matches no port service ${current.spec.name} publishes`);
      for (const i of hits) removed.add(i);
    }
    const ports = spec.endpoint.ports.filter((_, i) => !removed.has(i));
    for (const p of add) if (!ports.some((q) => samePort(p, q))) ports.push(p);
    return { ...spec, endpoint: { ...spec.endpoint, ports } };
  };
};

/** `--image`: the image the tasks run. */
export const imageChange: FlagGroup = (flags) => {
  const image = flags.image;
  if (image !== undefined && !/^\S+$/.test(image)) throw new UsageError('--image', `expected an image reference, got "${image}"`);
  return (spec) => (image === undefined ? spec : { ...spec, task: { ...spec.task, container: { ...spec.task.container, image } } });
};

/** `--env-rm K` then `--env-add K=V`, as docker applies them: an added key replaces the entry of that key. */
export const envChanges: FlagGroup = (flags) => {
  const remove = (flags.envRm ?? []).map((k) => parseKeyValue(k, '--env-rm').key);
  const add = (flags.envAdd ?? []).map((e) => {
    const { key, value } = parseKeyValue(e, '--env-add');
    if (value === undefined) throw new UsageError('--env-add', `expected KEY=VALUE, got "${e}"`);
    return { key, entry: `${key}=${value}` };
  });
  if (remove.length === 0 && add.length === 0) return (spec) => spec;
  const keyOf = (entry: string) => entry.slice(0, entry.indexOf('='));
  const gone = new Set([...remove, ...add.map((a) => a.key)]);
  return (spec) => {
    const env = [...spec.task.container.env.filter((e) => !gone.has(keyOf(e))), ...add.map((a) => a.entry)];
    return { ...spec, task: { ...spec.task, container: { ...spec.task.container, env } } };
  };
};

/** `--args "…"`: the container's arguments, split as a shell would. */
export const argsChange: FlagGroup = (flags) => {
  if (flags.args === undefined) return (spec) => spec;
  let args: string[];
  try {
    args = splitShellWords(flags.args);
  } catch (err) {
    throw new UsageError('--args', (err as Error).message);
  }
  return (spec) => ({ ...spec, task: { ...spec.task, container: { ...spec.task.container, args } } });
};

/** `--replicas N`: a replicated service's replica count (a global service refuses it). */
export const replicasChange: FlagGroup = (flags) => {
  if (flags.replicas === undefined) return (spec) => spec;
  const replicas = parseCount(flags.replicas, '--replicas');
  return (spec, current) => {
    if (!('replicated' in spec.mode)) throw new UsageError('--replicas', `service ${current.spec.name} is global: only a replicated service has replicas`);
    return { ...spec, mode: { replicated: { replicas } } };
  };
};

/** `--force`: bumps the task spec's `forceUpdate`, so that every task is replaced although nothing else changed. */
export const forceChange: FlagGroup = (flags) => (spec) =>
  flags.force ? { ...spec, task: { ...spec.task, forceUpdate: (spec.task.forceUpdate ?? 0) + 1 } } : spec;

/** The `--update-*` flags: the fields of the spec's update config they set. */
export const updateConfigChange: FlagGroup = (flags) => {
  const fields = updateConfigFields(flags);
  if (Object.keys(fields).length === 0) return (spec) => spec;
  return (spec) => ({ ...spec, updateConfig: { ...(spec.updateConfig ?? DEFAULT_UPDATE_CONFIG), ...fields } });
};

/** Every flag group of `service update`, applied in this order. */
const FLAG_GROUPS: readonly FlagGroup[] = [portChanges, imageChange, envChanges, argsChange, replicasChange, forceChange, updateConfigChange];

/**
 * Reads the flags of `service update` into the change they make to a service's spec. Pure.
 * @throws UsageError naming the flag at fault (the change itself throws one when a flag does not fit the service).
 */
export function readUpdateFlags(flags: ServiceUpdateFlags): SpecChange {
  const changes = FLAG_GROUPS.map((group) => group(flags));
  return (spec, current) => changes.reduce((s, change) => change(s, current), spec);
}

/** `orch service update [OPTIONS] SERVICE`: reads the service, changes its spec, and sends it back as a new version. */
export function registerServiceUpdate(service: Command, env: CliEnv): void {
  withUpdateConfigOptions(service.command('update'))
    .description('Update a service')
    .argument('<service>', 'service name, ID or ID prefix')
    .option('--publish-add <port>', 'publish a port, as --publish of service create takes it (repeatable)', collect)
    .option('--publish-rm <port>', 'stop publishing a port: PUBLISHED[/PROTOCOL], or a full port spec such as 8080:80 or target=80 (repeatable)', collect)
    .option('--image <image>', 'image the tasks run')
    .option('--env-add <key=value>', 'add or replace an environment variable (repeatable)', collect)
    .option('--env-rm <key>', 'remove an environment variable (repeatable)', collect)
    .option('--args <command>', 'the arguments of the tasks, as one string split as a shell would')
    .option('--replicas <n>', 'number of tasks')
    .option('--force', 'replace every task even if nothing changed')
    .option('-d, --detach', 'exit at once instead of waiting for the service to converge')
    .action(async (ref: string, opts: ServiceUpdateFlags, cmd: Command) => {
      const change = readUpdateFlags(opts);
      await withDaemon(cmd, env, async (d) => {
        const { service: current } = await d.call('ServiceInspect', { ref });
        const spec = change(current.spec, current);
        const { service: updated } = await d.call('ServiceUpdate', { ref: current.id, spec, version: current.meta.version });
        println(env, ref);
        if (!opts.detach) await showProgress(d, updated.id, env.stdout);
      });
    });
}
