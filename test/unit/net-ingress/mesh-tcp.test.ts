import net from 'node:net';
import type { IngressMesh } from '../../../plugins/net-ingress';
import {
  HOSTS,
  allBound,
  freePort,
  ingress,
  isFree,
  newMesh,
  refused,
  removed,
  request,
  requests,
  service,
  tally,
  tcpBackends,
  waitFor,
  unresponsiveBackend,
  type Backends,
} from './helpers';

describe('IngressMesh over TCP (loopback)', () => {
  let backends: Backends<net.Server>;
  let mesh: IngressMesh;
  let published: number;

  /** Publishes `published` for the backends at `hosts`. */
  const route = (hosts: readonly string[]): void => mesh.update(service([ingress('tcp', published, backends.port)], hosts));
  const stats = () => mesh.stats()[0];

  beforeEach(async () => {
    backends = await tcpBackends();
    published = await freePort();
    mesh = newMesh();
    route(HOSTS);
    await allBound(mesh);
  });

  afterEach(async () => {
    await mesh.close();
    await backends.close();
  });

  it('spreads requests over every backend', async () => {
    const answers = tally(await requests(published, 30));
    expect(Object.keys(answers).sort()).toEqual([...HOSTS]);
    expect(Object.values(answers).reduce((a, b) => a + b)).toBe(30);
  });

  it('spreads concurrent connections evenly', async () => {
    const answers = tally(await requests(published, 30, 30));
    expect(answers).toEqual({ [HOSTS[0]]: 10, [HOSTS[1]]: 10, [HOSTS[2]]: 10 });
  });

  it('sends nothing to a backend removed from the set, and no request fails', async () => {
    route(HOSTS.slice(0, 2));
    const answers = tally(await requests(published, 30, 5));
    expect(Object.keys(answers).sort()).toEqual(HOSTS.slice(0, 2));
  });

  it('retries a dead backend on another one without the client noticing', async () => {
    await backends.close(HOSTS[2]);
    const answers = tally(await requests(published, 30, 3));
    expect(Object.keys(answers).sort()).toEqual(HOSTS.slice(0, 2));
    expect(stats().connectionsFailed).toBe(0);
  });

  it('retries a backend that does not accept in time on another one', async () => {
    const stuck = await unresponsiveBackend('127.0.0.9', backends.port);
    try {
      route(['127.0.0.9', HOSTS[0]]);
      const started = Date.now();
      expect(await requests(published, 4, 4)).toEqual(Array(4).fill(HOSTS[0]));
      expect(Date.now() - started).toBeGreaterThanOrEqual(250); // the connect timeout (300 ms) ran out
      expect(stats().connectionsFailed).toBe(0);
    } finally {
      stuck.close();
    }
  });

  it('resets clients while every backend is dead, and counts them as failed', async () => {
    await backends.close();
    await expect(request(published)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(stats()).toMatchObject({ connectionsTotal: 1, connectionsFailed: 1 });
    await waitFor(() => stats().connectionsActive === 0);
  });

  it('resets clients while the service has no endpoints, and serves them once it has', async () => {
    route([]);
    await expect(request(published)).rejects.toMatchObject({ code: 'ECONNRESET' });
    route(HOSTS);
    expect(await request(published)).toMatch(/^127\.0\.0\.\d 4$/);
  });

  it('leaves connections on a backend alone when the set changes', async () => {
    const reply = new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: published, allowHalfOpen: true });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write('abc', () =>
        waitFor(() => stats().connectionsActive === 1).then(() => {
          route([]);
          socket.end('de');
        }),
      );
    });
    expect(await reply).toMatch(/^127\.0\.0\.\d 5$/);
  });

  it('passes a half-close on: the client stops writing and still gets the reply (1 MiB up)', async () => {
    const payload = Buffer.alloc(1 << 20, 7);
    expect(await request(published, payload)).toMatch(new RegExp(`^127\\.0\\.0\\.\\d ${payload.length}$`));
  });

  it('leaks no connection after many requests, and counts every byte', async () => {
    const count = 300;
    await requests(published, count, 25);
    await waitFor(() => stats().connectionsActive === 0);
    const s = stats();
    expect(s).toMatchObject({ serviceId: 'svc1', serviceName: 'name-svc1', connectionsTotal: count, connectionsFailed: 0 });
    expect(s.bytesIn).toBe(count * 'ping'.length);
    expect(s.bytesOut).toBe(count * '127.0.0.2 4'.length);
    for (const server of backends.servers.values()) {
      const open = await new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
      expect(open).toBe(0);
    }
  });

  it('counts the bytes of open connections', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: published });
    await new Promise<void>((resolve) => socket.write('12345', () => resolve()));
    await waitFor(() => stats().bytesIn === 5);
    expect(stats().connectionsActive).toBe(1);
    socket.destroy();
    await waitFor(() => stats().connectionsActive === 0);
    expect(stats().bytesIn).toBe(5);
  });

  it('closes the port when the service is removed, and the port is free again', async () => {
    mesh.update(removed());
    expect(mesh.stats()).toEqual([]);
    expect(await refused(published)).toBe(true);
    expect(await isFree(published, 'tcp')).toBe(true);
  });

  it('moves a service to another published port', async () => {
    const other = await freePort();
    mesh.update(service([ingress('tcp', other, backends.port)], HOSTS));
    expect(await refused(published)).toBe(true);
    await allBound(mesh);
    expect(await request(other)).toMatch(/^127\.0\.0\.\d 4$/);
  });

  it('keeps a service\'s counters when one of its ports closes', async () => {
    await requests(published, 3);
    await waitFor(() => stats().connectionsActive === 0);
    const other = await freePort();
    mesh.update(service([ingress('tcp', other, backends.port)], HOSTS));
    expect(stats()).toMatchObject({ connectionsTotal: 3, connectionsActive: 0 });
  });

  it('ignores host-mode ports', async () => {
    const port = await freePort();
    mesh.update(service([{ protocol: 'tcp', publishedPort: port, targetPort: backends.port, publishMode: 'host' }], HOSTS, 'svc2'));
    expect(await refused(port)).toBe(true);
    expect(mesh.stats().map((s) => s.serviceId)).toEqual(['svc1']);
  });

  it('keeps retrying a port that is taken, and serves it once it is free', async () => {
    const port = await freePort();
    const squatter = net.createServer((s) => s.resume().end('squatter'));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    mesh.update(service([ingress('tcp', port, backends.port)], HOSTS, 'svc2'));
    await new Promise((r) => setTimeout(r, 250));
    expect(mesh.ports()).toContainEqual({ serviceId: 'svc2', host: '127.0.0.1', protocol: 'tcp', publishedPort: port, bound: false });
    expect(await request(port)).toBe('squatter');
    await new Promise((resolve) => squatter.close(resolve));
    await allBound(mesh);
    expect(await request(port)).toMatch(/^127\.0\.0\.\d 4$/);
  });

  it('serves a port claimed by two services for the first, then for the second once the first lets go', async () => {
    const second = await tcpBackends(['127.0.0.5']);
    try {
      mesh.update(service([ingress('tcp', published, second.port)], ['127.0.0.5'], 'svc2'));
      expect(tally(await requests(published, 6))['127.0.0.5']).toBeUndefined();
      mesh.update(removed('svc1'));
      await allBound(mesh);
      expect(await requests(published, 3)).toEqual(Array(3).fill('127.0.0.5'));
    } finally {
      await mesh.close();
      await second.close();
    }
  });

  it('closes open connections and every port on close, and ignores later updates', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: published });
    const closed = new Promise((resolve) => socket.on('close', resolve).on('error', () => undefined));
    await waitFor(() => stats().connectionsActive === 1);
    await mesh.close();
    await closed;
    expect(await refused(published)).toBe(true);
    route(HOSTS);
    expect(await refused(published)).toBe(true);
  });
});
