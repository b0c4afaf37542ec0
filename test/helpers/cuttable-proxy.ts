import * as net from 'node:net';

/**
 * A proxy a test can cut (every open connection dropped, new ones refused) and resume, to see how a
 * client copes with its connections dropping and its server being out of reach for a while. It relays
 * to `upstream` (a unix socket path, or a TCP host and port).
 */
export class CuttableProxy {
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  private refusing = false;

  constructor(private readonly upstream: net.NetConnectOpts) {
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Listens on a unix socket. */
  listenUnix(path: string): Promise<void> {
    return new Promise((resolve) => this.server.listen(path, resolve));
  }

  /** Listens on an ephemeral port of 127.0.0.1; resolves with it. */
  listenTcp(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)));
  }

  /** Drops every open connection and refuses new ones until `resume`. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.open) socket.destroy();
  }

  resume(): void {
    this.refusing = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.upstream);
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.open.add(socket);
      socket.on('error', () => peer.destroy());
      socket.on('close', () => {
        this.open.delete(socket);
        peer.destroy();
      });
      socket.pipe(peer);
    }
  }
}
