import type { Command } from 'commander';
import type { PortConfig, Protocol, Service, ServiceSpec } from '../../../core/model/types';
import { println, withDaemon, type CliEnv } from '../../context';
import { UsageError } from '../../errors';
import { collect } from '../../options';
import { showProgress } from '../../progress/monitor';
import { parsePublish, parsePublishedPort } from '../../publish';

/** The flags of `service update`, as commander hands them over (repeatable flags as arrays). */
export interface ServiceUpdateFlags {
  readonly publishAdd?: readonly string[];
  readonly publishRm?: readonly string[];
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

/** Every flag group of `service update`, applied in this order. */
const FLAG_GROUPS: readonly FlagGroup[] = [portChanges];

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
  service
    .command('update')
    .description('Update a service')
    .argument('<service>', 'service name, ID or ID prefix')
    .option('--publish-add <port>', 'publish a port, as --publish of service create takes it (repeatable)', collect)
    .option('--publish-rm <port>', 'stop publishing a port: PUBLISHED[/PROTOCOL], or a full port spec such as 8080:80 or target=80 (repeatable)', collect)
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
