import dgram from 'node:dgram';
import net, { isIP, isIPv6 } from 'node:net';
import type { Logger } from 'pino';

/** A resolver queries are forwarded to. */
export interface Upstream {
  /** Its IP address. */
  readonly host: string;
  readonly port: number;
}

/** Port of a resolver given without one. */
const DNS_PORT = 53;

/** Bit of a message's flags word (bytes 2–3) set in responses. */
const QR = 0x8000;
/** Bit of a message's flags word set when a response was truncated. */
const TC = 0x0200;
/** Response codes after which the next resolver is asked instead. */
const SERVFAIL = 2;
const REFUSED = 5;

/** A DNS message's size prefix over TCP (RFC 1035 §4.2.2). */
const LENGTH_BYTES = 2;

/**
 * Reads `ip`, `ip:port`, `[ipv6]` or `[ipv6]:port` (an IPv6 address alone needs no brackets), port 53 by
 * default; `undefined` when `text` is none of these: host names are refused, since resolving them would
 * need the resolver being configured.
 */
export function parseUpstream(text: string): Upstream | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const withPort = /^([^:]+):(\d+)$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1], bracketed[2]]
    : withPort
      ? [withPort[1], withPort[2]]
      : [text, undefined];
  const portNumber = port === undefined ? DNS_PORT : Number(port);
  if (isIP(host) === 0 || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65_535) return undefined;
  return { host, port: portNumber };
}

/** `host:port`, for logs. */
export const upstreamName = (upstream: Upstream): string =>
  isIPv6(upstream.host) ? `[${upstream.host}]:${upstream.port}` : `${upstream.host}:${upstream.port}`;

/** `message` with its TCP length prefix. */
export function frame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(LENGTH_BYTES);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

/** Splits a TCP byte stream into the DNS messages it carries (each after a 2-byte length). */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds bytes received; returns the messages they complete, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    while (this.pending.length >= LENGTH_BYTES) {
      const end = LENGTH_BYTES + this.pending.readUInt16BE(0);
      if (this.pending.length < end) break;
      messages.push(this.pending.subarray(LENGTH_BYTES, end));
      this.pending = this.pending.subarray(end);
    }
    return messages;
  }
}

/** Whether `reply` is a response to `query`: same id, QR set. Its other contents are the client's business. */
const answers = (query: Buffer, reply: Buffer): boolean =>
  reply.length >= 12 && reply.readUInt16BE(0) === query.readUInt16BE(0) && (reply.readUInt16BE(2) & QR) !== 0;

const isTruncated = (reply: Buffer): boolean => (reply.readUInt16BE(2) & TC) !== 0;

const rcodeOf = (reply: Buffer): number => reply.readUInt16BE(2) & 0xf;

/** Why an exchange gave no answer when the server was closed meanwhile. */
class Aborted extends Error {}

/**
 * Runs one exchange with a resolver: `start` sends the query, calls `settle` with the reply or an error
 * (never synchronously), and returns how to release its socket. Fails after `timeoutMs`, or when `signal`
 * aborts (with {@link Aborted}).
 */
function exchange(
  timeoutMs: number,
  signal: AbortSignal,
  start: (settle: (outcome: Buffer | Error) => void) => () => void,
): Promise<Buffer> {
  if (signal.aborted) return Promise.reject(new Aborted('the DNS server closed'));
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: Buffer | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = (): void => settle(new Aborted('the DNS server closed'));
    const release = start(settle);
    const timer = setTimeout(() => settle(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort);
  });
}

/** Asks `upstream` over UDP, from a socket of its own (a fresh random source port per query). */
function exchangeUdp(query: Buffer, upstream: Upstream, timeoutMs: number, signal: AbortSignal): Promise<Buffer> {
  return exchange(timeoutMs, signal, (settle) => {
    const socket = dgram.createSocket(isIPv6(upstream.host) ? 'udp6' : 'udp4');
    socket.on('error', settle);
    socket.on('message', (reply) => {
      if (answers(query, reply)) settle(reply);
    });
    socket.connect(upstream.port, upstream.host, () => socket.send(query));
    return () => socket.close();
  });
}

/** Asks `upstream` over TCP. */
function exchangeTcp(query: Buffer, upstream: Upstream, timeoutMs: number, signal: AbortSignal): Promise<Buffer> {
  return exchange(timeoutMs, signal, (settle) => {
    const reader = new FrameReader();
    const socket = net.connect({ host: upstream.host, port: upstream.port }, () => socket.write(frame(query)));
    socket.on('error', settle);
    socket.on('data', (chunk) => {
      const reply = reader.push(chunk).find((message) => answers(query, message));
      if (reply) settle(reply);
    });
    socket.on('close', () => settle(new Error('connection closed before an answer')));
    return () => socket.destroy();
  });
}

/** How {@link forward} asks. */
export interface ForwardOptions {
  /** How long each resolver is given to answer (ms). */
  readonly timeoutMs: number;
  /**
   * Whether the client can take a message larger than a UDP reply (it asked over TCP): a truncated UDP
   * answer is then asked again over TCP of the same resolver.
   */
  readonly tcp: boolean;
  /** Aborting it ends the exchange at once, with no answer. */
  readonly signal: AbortSignal;
  /** Failures of single resolvers are logged at debug. */
  readonly log: Logger;
}

/**
 * Forwards `query` (a DNS message, as the client sent it, id included) to each resolver in turn until one
 * answers: the resolver's reply, as it sent it, or `undefined` when none answered (each had `timeoutMs`,
 * refused the port, or answered SERVFAIL or REFUSED) or the signal aborted. Asks over UDP; see
 * {@link ForwardOptions.tcp} for truncated answers (when TCP fails, the truncated answer is returned).
 */
export async function forward(
  query: Buffer,
  upstreams: readonly Upstream[],
  options: ForwardOptions,
): Promise<Buffer | undefined> {
  const { timeoutMs, signal, log } = options;
  for (const upstream of upstreams) {
    try {
      const reply = await exchangeUdp(query, upstream, timeoutMs, signal);
      const rcode = rcodeOf(reply);
      if (rcode === SERVFAIL || rcode === REFUSED) {
        log.debug({ upstream: upstreamName(upstream), rcode }, 'dns: upstream failed the query');
        continue;
      }
      if (!options.tcp || !isTruncated(reply)) return reply;
      try {
        return await exchangeTcp(query, upstream, timeoutMs, signal);
      } catch (err) {
        if (err instanceof Aborted) return undefined;
        log.debug({ upstream: upstreamName(upstream), err }, 'dns: upstream failed over TCP; relaying its truncated answer');
        return reply;
      }
    } catch (err) {
      if (err instanceof Aborted) return undefined;
      log.debug({ upstream: upstreamName(upstream), err }, 'dns: upstream did not answer');
    }
  }
  return undefined;
}
