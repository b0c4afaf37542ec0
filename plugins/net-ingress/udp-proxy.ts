import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { BackendSlot } from './balancer';
import { PortProxy, type ProxyOptions } from './proxy';

/** Options of a {@link UdpProxy}. */
export interface UdpProxyOptions extends ProxyOptions {
  /** A flow with no datagram either way for this long (ms) is closed; default 30000. */
  readonly idleTimeoutMs?: number;
}

/** The datagrams of one client (address and port), relayed to one backend. */
interface Flow {
  readonly key: string;
  /** Connected to the backend: the kernel drops datagrams from anyone else. */
  readonly upstream: dgram.Socket;
  readonly slot: BackendSlot;
  /** Clock (ms) of the last datagram either way. */
  lastSeen: number;
  /** Datagrams that arrived while `upstream` was still connecting. */
  pending: Buffer[] | undefined;
}

const familyOf = (address: string): dgram.SocketType => (isIPv6(address) ? 'udp6' : 'udp4');

/**
 * The routing mesh on one published UDP port. Each client (address and port) gets a flow: its own socket
 * connected to a backend picked when the flow starts, so replies find their way back and a client sticks
 * to one backend. Flows idle for the idle timeout are closed. A backend that answers with "port
 * unreachable" ends the flow and is passed over for a while; the client's next datagram starts a new flow.
 * A datagram that arrives while there is no backend is dropped (and counted as a failed connection).
 */
export class UdpProxy extends PortProxy {
  private socket: dgram.Socket | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly flows = new Map<string, Flow>();
  private readonly idleTimeoutMs: number;

  constructor(options: UdpProxyOptions) {
    super(options);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket(familyOf(this.options.host));
      let bound = false;
      socket.on('error', (err) => {
        if (bound) this.log.warn({ err }, 'ingress: relaying a datagram failed');
        else {
          socket.close();
          reject(err);
        }
      });
      socket.on('message', (msg, from) => this.fromClient(socket, msg, from));
      socket.bind(this.options.port, this.options.host, () => {
        bound = true;
        if (this.closed) socket.close();
        else {
          this.socket = socket;
          this.sweeper = setInterval(() => this.sweep(), this.idleTimeoutMs / 3).unref();
        }
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const flow of this.flows.values()) this.closeFlow(flow);
    const socket = this.socket;
    this.socket = undefined;
    return new Promise((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
  }

  private fromClient(server: dgram.Socket, msg: Buffer, from: dgram.RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    const flow = this.flows.get(key) ?? this.openFlow(server, key, from);
    if (!flow) return;
    flow.lastSeen = Date.now();
    this.traffic.bytesIn += msg.length;
    if (flow.pending) flow.pending.push(msg);
    else flow.upstream.send(msg);
  }

  private openFlow(server: dgram.Socket, key: string, client: dgram.RemoteInfo): Flow | undefined {
    const slot = this.balancer.acquire();
    if (!slot) {
      this.traffic.connectionsFailed++;
      return undefined;
    }
    const { host, port } = slot.backend;
    const upstream = dgram.createSocket(familyOf(host));
    const flow: Flow = { key, upstream, slot, lastSeen: 0, pending: [] };
    this.flows.set(key, flow);
    this.traffic.connectionsTotal++;
    this.traffic.connectionsActive++;
    upstream.on('message', (reply) => {
      flow.lastSeen = Date.now();
      this.traffic.bytesOut += reply.length;
      server.send(reply, client.port, client.address);
    });
    upstream.on('error', (err) => {
      if (!this.closeFlow(flow)) return;
      this.log.debug({ err, backend: `${host}:${port}` }, 'ingress: backend flow failed');
      this.traffic.connectionsFailed++;
      this.balancer.markDown(slot);
    });
    upstream.connect(port, host, () => {
      if (this.flows.get(key) !== flow) return;
      for (const msg of flow.pending ?? []) upstream.send(msg);
      flow.pending = undefined;
    });
    return flow;
  }

  /** Ends a flow; false when it was ended already. */
  private closeFlow(flow: Flow): boolean {
    if (this.flows.get(flow.key) !== flow) return false;
    this.flows.delete(flow.key);
    flow.upstream.close();
    this.balancer.release(flow.slot);
    this.traffic.connectionsActive--;
    return true;
  }

  private sweep(): void {
    const idleSince = Date.now() - this.idleTimeoutMs;
    for (const flow of this.flows.values()) if (flow.lastSeen < idleSince) this.closeFlow(flow);
  }
}
