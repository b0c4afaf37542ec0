import net from 'node:net';
import type { BackendSlot } from './balancer';
import { PortProxy, type ProxyOptions, type Traffic } from './proxy';

/** Options of a {@link TcpProxy}. */
export interface TcpProxyOptions extends ProxyOptions {
  /** How long a backend may take to accept a connection before another one is tried (ms); default 1000. */
  readonly connectTimeoutMs?: number;
  /**
   * Another proxy that should take an accepted connection instead (on a wildcard address, one made to an
   * address that proxy serves but could not bind, being covered by this one).
   */
  readonly divert?: (client: net.Socket) => TcpProxy | undefined;
}

/** One client connection and the backend connection it is relayed to. */
interface Relay {
  readonly client: net.Socket;
  /** The backend connection, once one is being made. */
  upstream: net.Socket | undefined;
  /** The backend `upstream` goes to; released when the relay ends. */
  slot: BackendSlot | undefined;
  /** Backends that failed for this connection (made on the first failure only). */
  tried: Set<BackendSlot> | undefined;
  /** Sockets of the relay not closed yet: the client, plus the backend once connected. */
  open: number;
}

/** Keep-alive probes find peers that vanished without a word, so their relays do not linger. */
const KEEP_ALIVE = { keepAlive: true, keepAliveInitialDelay: 60_000 } as const;

/**
 * Clients are accepted paused (no byte is read before the backend is connected) and half-open (a client
 * that stops writing still gets the reply).
 */
const SERVER_OPTIONS: net.ServerOpts = { pauseOnConnect: true, allowHalfOpen: true, noDelay: true, ...KEEP_ALIVE };

/** Socket errors are followed by `close`, where relays are cleaned up; the error itself needs no handling. */
const ignore = (): void => {};

/**
 * The routing mesh on one published TCP port: relays each accepted connection to a backend.
 *
 * A backend that refuses, is unreachable or does not accept within the connect timeout is passed over and
 * another one is tried (each at most once per connection). When there is no backend, or none can be
 * reached, the client connection is reset (the client sees `ECONNRESET` rather than an empty reply);
 * the port stays bound meanwhile, so it answers as soon as a backend appears.
 *
 * Bytes are relayed with `pipe` (backpressure both ways), a half-close is passed on in either direction,
 * and an error on either side destroys both. Traffic is counted from the sockets' own byte counters when
 * asked, so relaying costs nothing per chunk.
 */
export class TcpProxy extends PortProxy {
  private server: net.Server | undefined;
  private readonly relays = new Set<Relay>();
  private readonly connectTimeoutMs: number;

  constructor(protected override readonly options: TcpProxyOptions) {
    super(options);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer(SERVER_OPTIONS, (client) => {
        const other = this.options.divert?.(client);
        if (other && other !== this) other.accept(client);
        else this.accept(client);
      });
      server.on('error', (err) => {
        if (server.listening) this.log.warn({ err }, 'ingress: accepting a connection failed');
        else reject(err);
      });
      server.listen(this.options.port, this.options.host, () => {
        if (this.closed) server.close();
        else this.server = server;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.closed = true;
    for (const r of this.relays) {
      r.client.destroy();
      r.upstream?.destroy();
    }
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Counters, with the bytes of open connections so far. */
  override stats(): Traffic {
    const t = super.stats();
    for (const { client } of this.relays) {
      t.bytesIn += client.bytesRead;
      t.bytesOut += client.bytesWritten;
    }
    return t;
  }

  /** Relays a connection accepted here or diverted from another proxy. */
  accept(client: net.Socket): void {
    const relay: Relay = { client, upstream: undefined, slot: undefined, tried: undefined, open: 1 };
    this.relays.add(relay);
    this.traffic.connectionsTotal++;
    this.traffic.connectionsActive++;
    client.on('error', ignore);
    client.once('close', (hadError) => {
      // Before the backend is connected, or after an error, the backend side has nothing left to deliver.
      if (relay.open === 1 || hadError) relay.upstream?.destroy();
      this.socketClosed(relay);
    });
    this.connect(relay);
  }

  /** Connects the relay to the next backend, or resets the client when none is left to try. */
  private connect(relay: Relay): void {
    const slot = this.balancer.acquire(relay.tried);
    if (!slot) {
      this.traffic.connectionsFailed++;
      relay.client.resetAndDestroy();
      return;
    }
    const { host, port } = slot.backend;
    const upstream = net.connect({ host, port, noDelay: true, allowHalfOpen: true, ...KEEP_ALIVE });
    relay.upstream = upstream;
    relay.slot = slot;
    upstream.setTimeout(this.connectTimeoutMs);
    const failed = (err?: Error): void => {
      upstream.off('connect', connected).off('error', failed).off('timeout', failed).on('error', ignore).destroy();
      // A client that went away meanwhile has released the slot already.
      if (relay.client.destroyed) return;
      this.log.debug({ err, backend: `${host}:${port}` }, 'ingress: backend did not accept; trying another');
      this.balancer.release(slot);
      this.balancer.markDown(slot);
      relay.upstream = undefined;
      relay.slot = undefined;
      (relay.tried ??= new Set()).add(slot);
      this.connect(relay);
    };
    const connected = (): void => {
      upstream.off('error', failed).off('timeout', failed).setTimeout(0);
      this.balancer.markUp(slot);
      this.splice(relay, upstream);
    };
    upstream.once('connect', connected).once('error', failed).once('timeout', failed);
  }

  /** Relays bytes both ways between the client and its connected backend. */
  private splice(relay: Relay, upstream: net.Socket): void {
    const { client } = relay;
    relay.open = 2;
    upstream.on('error', ignore);
    upstream.once('close', (hadError) => {
      if (hadError) client.destroy();
      this.socketClosed(relay);
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private socketClosed(relay: Relay): void {
    if (--relay.open > 0) return;
    this.relays.delete(relay);
    if (relay.slot) this.balancer.release(relay.slot);
    this.traffic.connectionsActive--;
    this.traffic.bytesIn += relay.client.bytesRead;
    this.traffic.bytesOut += relay.client.bytesWritten;
  }
}
