import type { PortConfig, Protocol, Service, ServiceSpec } from '../../core/model/types';
import { UsageError } from '../errors';
import { parsePublish, parsePublishedPort } from '../publish';
import type { FlagGroup } from './flag-group';

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

const samePort = (a: PortConfig, b: PortConfig) =>
  a.protocol === b.protocol && a.targetPort === b.targetPort && a.publishedPort === b.publishedPort && a.publishMode === b.publishMode;

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

