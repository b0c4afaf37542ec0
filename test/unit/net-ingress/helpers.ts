import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import pino from 'pino';
import type { ServiceEndpoints } from '../../../core/hooks';
import type { PortConfig, Protocol } from '../../../core/model/types';
import { IngressMesh, type IngressMeshOptions } from '../../../plugins/net-ingress';

/** Backend addresses: all of 127.0.0.0/8 reaches loopback on Linux, so each backend gets its own IP. */
export const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'] as const;

export const silent = pino({ level: 'silent' });

/** A mesh bound on loopback, with short timeouts. */
export const newMesh = (options: Partial<IngressMeshOptions> = {}): IngressMesh =>
  new IngressMesh({ log: silent, nodeId: 'node1', bindAddress: '127.0.0.1', connectTimeoutMs: 300, bindRetryMs: 100, ...options });

/** An ingress port. */
export const ingress = (protocol: Protocol, publishedPort: number, targetPort: number): PortConfig => ({
  protocol,
  publishedPort,
  targetPort,
  publishMode: 'ingress',
});

/** A service's endpoints as the kernel's hook hands them over: one task per address, on this node (`node1`). */
export const service = (ports: readonly PortConfig[], addrs: readonly string[], id = 'svc1'): ServiceEndpoints => ({
  serviceId: id,
  serviceName: `name-${id}`,
  ports,
  endpoints: addrs.map((addr, i) => ({ taskId: `task${i}`, serviceId: id, nodeId: 'node1', addr, ports: [], networks: [] })),
});

/** The hook's message for a removed service. */
export const removed = (id = 'svc1'): ServiceEndpoints => ({ serviceId: id, serviceName: `name-${id}`, ports: [], endpoints: [] });

/** A port that is free on 127.0.0.1 for `protocol` right now. */
export async function freePort(protocol: Protocol = 'tcp'): Promise<number> {
  if (protocol === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise<void>((resolve) => s.close(resolve));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Servers on one port of several addresses; `close` stops one or all (those left are in `servers`). */
export interface Backends<S> {
  readonly port: number;
  readonly servers: Map<string, S>;
  close(host?: string): Promise<void>;
}

function backendsOf<S>(port: number, servers: Map<string, S>, closeOne: (server: S) => Promise<void>): Backends<S> {
  return {
    port,
    servers,
    close: async (host) => {
      const hosts = host === undefined ? [...servers.keys()] : [host];
      await Promise.all(
        hosts.map((h) => {
          const server = servers.get(h);
          servers.delete(h);
          return server && closeOne(server);
        }),
      );
    },
  };
}

/**
 * TCP backends that read until the client stops writing, then answer `<their address> <bytes received>`
 * and close: every request through the mesh exercises a half-close.
 */
export async function tcpBackends(hosts: readonly string[] = HOSTS): Promise<Backends<net.Server>> {
  const port = await freePort();
  const servers = new Map<string, net.Server>();
  for (const host of hosts) {
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      let received = 0;
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.on('end', () => socket.end(`${host} ${received}`));
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    servers.set(host, server);
  }
  return backendsOf(port, servers, (s) => new Promise((resolve) => s.close(() => resolve())));
}

/** UDP backends that answer each datagram with `<their address>:<datagram>`. */
export async function udpBackends(hosts: readonly string[] = HOSTS): Promise<Backends<dgram.Socket>> {
  const port = await freePort('udp');
  const servers = new Map<string, dgram.Socket>();
  for (const host of hosts) {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, from) => socket.send(`${host}:${msg.toString()}`, from.port, from.address));
    await new Promise<void>((resolve) => socket.bind(port, host, resolve));
    servers.set(host, socket);
  }
  return backendsOf(port, servers, (s) => new Promise((resolve) => s.close(resolve)));
}

/** Connects, sends `payload`, half-closes and resolves with the whole reply. */
export function request(port: number, payload: string | Buffer = 'ping'): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => socket.end(payload));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
  });
}

/** Who answered each of `count` requests, `concurrency` at a time. */
export async function requests(port: number, count: number, concurrency = 1): Promise<string[]> {
  const answers: string[] = [];
  for (let sent = 0; sent < count; sent += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - sent) }, () => request(port));
    answers.push(...(await Promise.all(batch)).map((reply) => reply.split(' ')[0]));
  }
  return answers;
}

/** How many times each value occurs. */
export function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Sends one datagram from `socket` to the mesh and resolves with the first reply. */
export function exchange(socket: dgram.Socket, port: number, text: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no reply to "${text}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (msg: Buffer): void => {
      clearTimeout(timer);
      resolve(msg.toString());
    };
    socket.once('message', onMessage);
    socket.send(text, port, '127.0.0.1');
  });
}

/** A UDP client socket bound on loopback. */
export async function udpClient(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

/** Resolves once `check` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether a TCP connection to the port on 127.0.0.1 is refused. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** Resolves once the mesh has bound every port it serves. */
export const allBound = (mesh: IngressMesh): Promise<void> => waitFor(() => mesh.ports().every((p) => p.bound));

/** Whether the port on 127.0.0.1 can be bound (found by binding it, so no connection is made). */
export async function isFree(port: number, protocol: Protocol): Promise<boolean> {
  const holder = protocol === 'tcp' ? net.createServer() : dgram.createSocket('udp4');
  const free = await new Promise<boolean>((resolve, reject) => {
    holder.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
    if (holder instanceof net.Server) holder.listen(port, '127.0.0.1', () => resolve(true));
    else holder.bind(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => holder.close(() => resolve()));
  return free;
}

/**
 * A backend that never accepts: a child process listening with a backlog of one whose event loop is stuck,
 * after its accept queue has been filled; further connection attempts hang until they time out.
 */
export async function unresponsiveBackend(host: string, port: number): Promise<{ close(): void }> {
  const script = `
    const server = require('net').createServer();
    server.listen({ port: ${port}, host: '${host}', backlog: 1 }, () => { console.log('ready'); setTimeout(() => { for (;;); }, 20); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const fillers = [0, 1].map(() => net.connect({ host, port }).on('error', () => undefined));
  await Promise.all(fillers.map((s) => new Promise((resolve) => s.once('connect', resolve))));
  return {
    close: () => {
      child.kill('SIGKILL');
      for (const s of fillers) s.destroy();
    },
  };
}

/** Like {@link request}, to `host` (e.g. a virtual IP on loopback) rather than 127.0.0.1. */
export function requestAt(host: string, port: number, payload: string | Buffer = 'ping'): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host, port, allowHalfOpen: true }, () => socket.end(payload));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
  });
}

/** Like {@link refused}, on `host`. */
export function refusedAt(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** Sends one datagram from `socket` to `host:port` and resolves with the first reply. */
export function exchangeAt(socket: dgram.Socket, host: string, port: number, text: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no reply to "${text}" from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (msg: Buffer): void => {
      clearTimeout(timer);
      resolve(msg.toString());
    };
    socket.once('message', onMessage);
    socket.send(text, port, host);
  });
}
