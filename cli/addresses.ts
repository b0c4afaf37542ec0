import { isIP } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { UsageError } from './errors';

/** Default port of the cluster listener, as in swarm mode. */
const DEFAULT_CLUSTER_PORT = 2377;

/** The interfaces of this machine, as `os.networkInterfaces()` returns them. */
export type Interfaces = NodeJS.Dict<readonly NetworkInterfaceInfo[]>;

/** An address with an optional port. */
interface HostPort {
  readonly host: string;
  readonly port?: number;
}

/** The IPv4 address of a named interface. */
function interfaceIpv4(interfaces: Interfaces | undefined, name: string): string | undefined {
  return interfaces?.[name]?.find((i) => i.family === 'IPv4')?.address;
}

/** `[v6]:port`, `v6`, `host:port` or `host` → host and port text. */
function splitHostPort(text: string): { host: string; port?: string; bracketed: boolean } {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) return { host: bracketed[1], port: bracketed[2], bracketed: true };
  const at = isIP(text) === 6 ? -1 : text.lastIndexOf(':');
  return at < 0 ? { host: text, bracketed: false } : { host: text.slice(0, at), port: text.slice(at + 1), bracketed: false };
}

/** This machine's default advertise address: the first non-internal IPv4 address, else 127.0.0.1. */
export function defaultAdvertiseIp(interfaces: Interfaces): string {
  for (const infos of Object.values(interfaces)) {
    const addr = infos?.find((i) => i.family === 'IPv4' && !i.internal)?.address;
    if (addr) return addr;
  }
  return '127.0.0.1';
}

/**
 * Reads `IP`, `IP:PORT`, `[IPv6]:PORT` or, when `interfaces` is given, an interface name (`eth0`, `eth0:2377`,
 * meaning that interface's IPv4 address).
 */
function parseHostPort(text: string, flag: string, interfaces?: Interfaces): HostPort {
  const parts = splitHostPort(text);
  const host = isIP(parts.host) !== 0 ? parts.host : parts.bracketed ? undefined : interfaceIpv4(interfaces, parts.host);
  if (host === undefined || (parts.bracketed && isIP(host) !== 6)) {
    throw new UsageError(flag, `expected an IP address or IP:PORT${interfaces ? ' (or an interface name)' : ''}, got "${text}"`);
  }
  if (parts.port === undefined) return { host };
  const port = /^\d+$/.test(parts.port) ? Number(parts.port) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new UsageError(flag, `port "${parts.port}" is out of range (expected 1-65535)`);
  return { host, port };
}

function format({ host, port }: HostPort): string {
  if (port === undefined) return host;
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The advertise address to record for `swarm init`: `--advertise-addr` checked (an IP, IP:PORT or an
 * interface name resolved to its IPv4 address), else this machine's default address.
 */
export function advertiseAddress(flag: string | undefined, interfaces: Interfaces): string {
  return flag === undefined ? defaultAdvertiseIp(interfaces) : format(parseHostPort(flag, '--advertise-addr', interfaces));
}

/** The cluster listen address for `swarm init`: `--listen-addr ADDR[:PORT]` (port 2377 by default), else `0.0.0.0:2377`. */
export function listenAddress(flag: string | undefined): string {
  const hp = flag === undefined ? { host: '0.0.0.0' } : parseHostPort(flag, '--listen-addr');
  return format({ host: hp.host, port: hp.port ?? DEFAULT_CLUSTER_PORT });
}

/** The manager a node joins (`swarm join HOST[:PORT]`, port 2377 by default), as `host:port`. */
export function managerAddress(text: string): string {
  const hp = parseHostPort(text, 'HOST:PORT');
  return format({ host: hp.host, port: hp.port ?? DEFAULT_CLUSTER_PORT });
}

/** The metrics address (`--metrics-addr IP:PORT`), checked; undefined when the flag is not given. */
export function metricsAddress(flag: string | undefined): string | undefined {
  if (flag === undefined) return undefined;
  const hp = parseHostPort(flag, '--metrics-addr');
  if (hp.port === undefined) throw new UsageError('--metrics-addr', `expected IP:PORT (such as 127.0.0.1:9323), got "${flag}"`);
  return format(hp);
}
