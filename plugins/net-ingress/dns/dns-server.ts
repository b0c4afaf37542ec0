import { decode, encode, type DecodedPacket } from 'dns-packet';
import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import net, { isIPv6 } from 'node:net';
import type { Logger } from 'pino';
import { TCP_MAX_BYTES, UDP_MAX_BYTES, answerQuery, serverFailure, truncate, type Decision, type Resolve } from './answer';
import { parseResolvConf } from './resolv-conf';
import { FrameReader, forward, frame, parseUpstream, type Upstream } from './upstream';

/** Options of a {@link DnsServer}. */
export interface DnsServerOptions {
  /** Address to listen on: the network's gateway address. */
  readonly host: string;
  /** Port for UDP and TCP; default 53. With 0, a port free for both (see `port` once listening). */
  readonly port?: number;
  /** The network served, passed on to `resolve`. */
  readonly networkId: string;
  /** Addresses of the names the kernel knows; `undefined` sends the query upstream. */
  readonly resolve: Resolve;
  /**
   * Resolvers unknown names are forwarded to, in order (`ip`, `ip:port`, `[ipv6]:port`); default: the
   * `nameserver` lines of resolv.conf, read by `listen`. An empty list makes every forwarded query fail.
   */
  readonly upstreams?: readonly string[];
  /** Reads resolv.conf when `upstreams` is not given; default: reads `/etc/resolv.conf`. */
  readonly readResolvConf?: () => Promise<string>;
  readonly log: Logger;
  /** How long each upstream resolver is given to answer (ms); default 2000. */
  readonly timeoutMs?: number;
}

/** Queries a {@link DnsServer} has handled since it was created. */
export interface DnsStats {
  /** Answered from `resolve` (including FORMERR and NOTIMP replies). */
  readonly local: number;
  /** Relayed from an upstream resolver. */
  readonly forwarded: number;
  /** Answered SERVFAIL: no upstream answered, or `resolve` threw. */
  readonly failed: number;
  /** Dropped (UDP) or ending their connection (TCP) because they could not be decoded as a query. */
  readonly malformed: number;
}

/** An idle TCP connection is closed after this long (ms). */
const TCP_IDLE_MS = 10_000;

/** With port 0, how many free UDP ports are tried before one is also free for TCP. */
const ANY_PORT_ATTEMPTS = 20;

/** Why a message is no query this server can answer. */
class Malformed extends Error {}

/** Decodes a message a client sent; throws {@link Malformed} when it is not a query. */
function decodeQuery(message: Buffer): DecodedPacket {
  let packet: DecodedPacket;
  try {
    packet = decode(message);
  } catch (err) {
    throw new Malformed((err as Error).message);
  }
  if (packet.type !== 'query') throw new Malformed('a response, not a query');
  return packet;
}

/** A UDP socket bound to `host:port`; rejects with the bind error, the socket closed. */
const bindUdp = (host: string, port: number): Promise<dgram.Socket> =>
  new Promise((resolve, reject) => {
    const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    const fail = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', fail);
    socket.bind(port, host, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });

/** Makes `server` listen on `host:port`; rejects with the listen error. */
const listenTcp = (server: net.Server, host: string, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

/**
 * The DNS server of one network on this node, on the network's gateway address, over UDP and TCP
 * (several queries per connection, answered as they complete). Names `resolve` knows are answered here
 * (see `answerQuery`); other queries are forwarded as they came to the upstream resolvers, whose answer is
 * relayed, or answered SERVFAIL when none answers. UDP replies built here are cut to 512 bytes (TC set).
 * A message that is not a query is dropped (UDP) or ends its connection (TCP), logged at debug.
 */
export class DnsServer {
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private upstreams: readonly Upstream[] | undefined;
  private udp: dgram.Socket | undefined;
  private readonly tcp: net.Server;
  private readonly connections = new Set<net.Socket>();
  /** Aborts the forwarded queries in flight when the server closes. */
  private readonly closing = new AbortController();
  private boundPort: number | undefined;
  private readonly counts = { local: 0, forwarded: 0, failed: 0, malformed: 0 };

  /** Throws when an upstream is no `ip[:port]`. */
  constructor(private readonly options: DnsServerOptions) {
    this.log = options.log;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.upstreams = options.upstreams?.map((text) => {
      const upstream = parseUpstream(text);
      if (!upstream) throw new Error(`dns: upstream resolver "${text}" is no ip[:port]`);
      return upstream;
    });
    this.tcp = net.createServer((socket) => this.serveConnection(socket));
  }

  /** The port UDP and TCP are bound to; `undefined` until `listen` resolves. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /**
   * Reads resolv.conf when no upstreams were given (a failure is logged: forwarded queries then fail),
   * then binds UDP and TCP. Rejects with the bind error (its `code`, e.g. `EADDRINUSE` or
   * `EADDRNOTAVAIL`) when either cannot be bound, leaving neither open. Call it once.
   */
  async listen(): Promise<void> {
    this.upstreams ??= await this.readUpstreams();
    const udp = await this.bind(this.options.port ?? 53, this.options.port === 0 ? ANY_PORT_ATTEMPTS : 1);
    const { port } = udp.address();
    if (this.closing.signal.aborted) {
      // close() ran while binding: it found nothing to close.
      udp.close();
      this.tcp.close();
      return;
    }
    udp.on('error', (err) => this.log.warn({ err }, 'dns: UDP socket error'));
    udp.on('message', (message, from) => this.serveDatagram(udp, message, from));
    this.tcp.on('error', (err) => this.log.warn({ err }, 'dns: TCP server error'));
    this.udp = udp;
    this.boundPort = port;
    this.log.debug({ host: this.options.host, port, upstreams: this.upstreams.length }, 'dns: listening');
  }

  /**
   * Binds UDP to `port`, then TCP to the port UDP got; `attempts` > 1 (with port 0) tries new ports while
   * the TCP side of the one UDP got is taken.
   */
  private async bind(port: number, attempts: number): Promise<dgram.Socket> {
    const udp = await bindUdp(this.options.host, port);
    try {
      await listenTcp(this.tcp, this.options.host, udp.address().port);
      return udp;
    } catch (err) {
      udp.close();
      if (attempts > 1 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') return this.bind(port, attempts - 1);
      throw err;
    }
  }

  /** Stops listening, closes every TCP connection and abandons the forwarded queries in flight. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const socket of this.connections) socket.destroy();
    const udp = this.udp;
    this.udp = undefined;
    await Promise.all([
      new Promise<void>((resolve) => (udp ? udp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.tcp.listening ? this.tcp.close(() => resolve()) : resolve())),
    ]);
  }

  /** Counts of the queries handled so far. */
  stats(): DnsStats {
    return { ...this.counts };
  }

  private async readUpstreams(): Promise<Upstream[]> {
    const read = this.options.readResolvConf ?? (() => readFile('/etc/resolv.conf', 'utf8'));
    try {
      return parseResolvConf(await read()).flatMap((address) => parseUpstream(address) ?? []);
    } catch (err) {
      this.log.warn({ err }, 'dns: cannot read resolv.conf; only the names resolve knows will resolve');
      return [];
    }
  }

  private serveDatagram(udp: dgram.Socket, message: Buffer, from: dgram.RemoteInfo): void {
    this.reply(message, from.address, false).then(
      (reply) => {
        if (reply && !this.closing.signal.aborted) {
          udp.send(reply, from.port, from.address, (err) => {
            if (err) this.log.debug({ err, client: from.address }, 'dns: cannot send a reply');
          });
        }
      },
      (err: unknown) => this.dropped(err, from.address),
    );
  }

  private serveConnection(socket: net.Socket): void {
    const client = socket.remoteAddress ?? '';
    const reader = new FrameReader();
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', (err) => this.log.debug({ err, client }, 'dns: TCP connection error'));
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('data', (chunk) => {
      for (const message of reader.push(chunk)) {
        this.reply(message, client, true).then(
          (reply) => {
            if (reply && !socket.destroyed) socket.write(frame(reply));
          },
          (err: unknown) => {
            this.dropped(err, client);
            socket.destroy();
          },
        );
      }
    });
  }

  /** Logs a message that could not be answered: at debug when it was malformed, as it is not our fault. */
  private dropped(err: unknown, client: string): void {
    if (err instanceof Malformed) {
      this.counts.malformed += 1;
      this.log.debug({ client, reason: err.message }, 'dns: dropped a malformed message');
    } else {
      this.log.warn({ err, client }, 'dns: failed to answer a query');
    }
  }

  /**
   * The reply to a client's message, or `undefined` when the server closed meanwhile; rejects with
   * {@link Malformed} when it is not a query.
   */
  private async reply(message: Buffer, source: string, tcp: boolean): Promise<Buffer | undefined> {
    const query = decodeQuery(message);
    let decision: Decision;
    try {
      decision = answerQuery(query, { networkId: this.options.networkId, source }, this.options.resolve);
    } catch (err) {
      this.log.warn({ err, name: query.questions?.[0]?.name }, 'dns: resolving a name failed');
      this.counts.failed += 1;
      return encode(serverFailure(query));
    }
    if (decision !== 'forward') {
      this.counts.local += 1;
      return encode(truncate(decision, tcp ? TCP_MAX_BYTES : UDP_MAX_BYTES));
    }
    const signal = this.closing.signal;
    const relayed = await forward(message, this.upstreams ?? [], { timeoutMs: this.timeoutMs, tcp, signal, log: this.log });
    if (signal.aborted) return undefined;
    if (relayed) {
      this.counts.forwarded += 1;
      return relayed;
    }
    this.counts.failed += 1;
    return encode(serverFailure(query));
  }
}
