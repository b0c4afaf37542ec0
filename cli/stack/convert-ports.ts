import type { PortConfig } from '../../core/model/types';
import { UsageError } from '../errors';
import { parsePublish } from '../publish';
import { isMapping, itemPath, keyPath } from './paths';
import { list, text } from './values';

const RANGE = /^(\d+)-(\d+)$/;

/** The ports of a range `8000-8002` (a single port as itself). */
function portsOf(text: string): string[] {
  const m = RANGE.exec(text);
  if (!m) return [text];
  const [first, last] = [Number(m[1]), Number(m[2])];
  if (last < first || last - first > 1000) return [text];
  return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
}

/**
 * The short syntax `[PUBLISHED:]TARGET[/PROTOCOL]`, with ranges (`8000-8001:80-81`) expanded port by port.
 * A host address (`127.0.0.1:8080:80`) is refused: the routing mesh publishes on every node's address.
 */
function shortPorts(spec: string, p: string): PortConfig[] {
  const [mapping, protocol] = spec.split('/', 2);
  const parts = mapping.split(':');
  if (parts.length > 2) throw new UsageError(p, `"${spec}" publishes on one host address: orch publishes a port on every node's address; write PUBLISHED:TARGET`);
  const targets = portsOf(parts[parts.length - 1]);
  const published = parts.length === 2 ? portsOf(parts[0]) : undefined;
  if (published && published.length !== targets.length) throw new UsageError(p, `"${spec}" maps ${published.length} published ports to ${targets.length} target ports`);
  const suffix = protocol === undefined ? '' : `/${protocol}`;
  return targets.map((t, i) => parsePublish(`${published ? `${published[i]}:` : ''}${t}${suffix}`, p));
}

/** The long syntax: `target`, `published`, `protocol`, `mode`. */
function longPort(o: Readonly<Record<string, unknown>>, p: string): PortConfig {
  if (o.target === undefined) throw new UsageError(keyPath(p, 'target'), 'required');
  const fields = (['target', 'published', 'protocol', 'mode'] as const).filter((k) => o[k] !== undefined).map((k) => `${k}=${text(o[k], keyPath(p, k))}`);
  return parsePublish(fields.join(','), p);
}

/** A service's `ports`, short or long syntax, as the endpoint's port configs. Pure. @throws UsageError naming the entry. */
export function convertPorts(ports: unknown, p: string): PortConfig[] {
  return list(ports, p).flatMap((v, i) => (isMapping(v) ? [longPort(v, itemPath(p, i))] : shortPorts(text(v, itemPath(p, i)), itemPath(p, i))));
}
