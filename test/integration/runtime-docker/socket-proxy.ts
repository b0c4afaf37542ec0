import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A unix-socket proxy in front of the Docker engine's socket that a test can cut, to see how a client
 * copes with its connections dropping and the engine being out of reach for a while.
 */
export class SocketProxy {
  private readonly server: Server;
  private readonly open = new Set<Socket>();
  private refusing = false;

  constructor(
    readonly path: string,
    private readonly upstreamPath: string,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
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

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.upstreamPath);
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
