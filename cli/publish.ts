import type { PortConfig, Protocol, PublishMode } from '../core/model/types';
import { UsageError } from './errors';

const FLAG = '--publish';
const FORMS = 'expected PUBLISHED:TARGET[/PROTOCOL], TARGET[/PROTOCOL] or published=P,target=T[,protocol=tcp|udp][,mode=ingress|host]';
const LONG_KEYS = ['mode', 'published', 'target', 'protocol'] as const;
type LongKey = (typeof LONG_KEYS)[number];

function port(text: string, which: 'published' | 'target', flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(flag, `${which} port "${text}" is not a number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new UsageError(flag, `${which} port ${n} is out of range (expected 1-65535)`);
  return n;
}

function protocol(text: string, flag: string): Protocol {
  if (text !== 'tcp' && text !== 'udp') throw new UsageError(flag, `protocol "${text}" is not supported (expected tcp or udp)`);
  return text;
}

function publishMode(text: string, flag: string): PublishMode {
  if (text !== 'ingress' && text !== 'host') throw new UsageError(flag, `mode "${text}" is not a publish mode (expected ingress or host)`);
  return text;
}

/** `[PUBLISHED:]TARGET[/PROTOCOL]` → the fields it sets. */
function shortForm(text: string, whole: string, flag: string): Partial<Record<LongKey, string>> {
  const m = /^(?:([^:/]*):)?([^:/]*)(?:\/(.*))?$/.exec(text);
  if (!m || m[2] === '') throw new UsageError(flag, `"${whole}" is not a port mapping: ${FORMS}`);
  return { published: m[1], target: m[2], protocol: m[3] };
}

/**
 * Parses a `--publish` value as docker's `service create` takes it: `8080:80`, `8080:80/udp`, `80` (target
 * only: the published port is allocated), the long form `mode=host,published=8080,target=80,protocol=udp`,
 * or a short mapping after `mode=…,` (`mode=host,8080:80`). The publish mode defaults to ingress.
 * @param flag the flag errors name (`--publish-add` takes the same forms).
 * @throws UsageError naming the flag and what is wrong.
 */
export function parsePublish(text: string, flag: string = FLAG): PortConfig {
  const fields: Partial<Record<LongKey, string>> = {};
  const set = (key: LongKey, value: string) => {
    if (fields[key] !== undefined) throw new UsageError(flag, `"${text}" sets ${key} twice`);
    fields[key] = value;
  };
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) {
      for (const [key, value] of Object.entries(shortForm(part, text, flag)) as [LongKey, string | undefined][]) if (value !== undefined) set(key, value);
      continue;
    }
    const key = part.slice(0, at) as LongKey;
    if (!LONG_KEYS.includes(key)) throw new UsageError(flag, `unknown field "${key}" in "${text}": expected ${LONG_KEYS.join(', ')}`);
    set(key, part.slice(at + 1));
  }
  if (fields.target === undefined) throw new UsageError(flag, `"${text}" has no target port: ${FORMS}`);
  return {
    protocol: protocol(fields.protocol ?? 'tcp', flag),
    targetPort: port(fields.target, 'target', flag),
    publishedPort: fields.published === undefined ? 0 : port(fields.published, 'published', flag),
    publishMode: publishMode(fields.mode ?? 'ingress', flag),
  };
}

/**
 * Parses `PUBLISHED[/PROTOCOL]` (protocol tcp unless given), the form `--publish-rm` names a published port by.
 * @throws UsageError naming `flag`.
 */
export function parsePublishedPort(text: string, flag: string): { readonly publishedPort: number; readonly protocol: Protocol } {
  const at = text.indexOf('/');
  return {
    publishedPort: port(at < 0 ? text : text.slice(0, at), 'published', flag),
    protocol: protocol(at < 0 ? 'tcp' : text.slice(at + 1), flag),
  };
}
