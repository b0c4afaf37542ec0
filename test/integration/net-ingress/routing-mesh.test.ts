import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { BACKEND_IMAGE, ensureBackendImage } from '../../../bench/ingress/backend-image';
import { TestCluster, WEB_SERVER, httpGet, waitFor } from '../../helpers/cluster';

/** Each node advertises (and binds published ports on) its own loopback address. */
const ADDRS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const WEB_PORT = 8080;
const UDP_PORT = 5300;
/** A UDP server answering each datagram with its container's hostname. */
const UDP_ECHO = [
  '/usr/local/bin/node',
  '-e',
  "const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(require('os').hostname()+':'+m,r.port,r.address));s.bind(9000);process.on('SIGTERM',()=>process.exit(0))",
];

/** Asks `host:port` over UDP and resolves with the reply, or undefined after `timeoutMs`. */
function udpAsk(host: string, port: number, text: string, timeoutMs = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (reply: string | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('message', (msg) => done(msg.toString()));
    socket.on('error', () => done(undefined));
    socket.send(text, port, host);
  });
}

/** The distinct answers of `count` GETs of `url`; fails on any failed request. */
async function answersOf(url: string, count: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const body = await httpGet(url);
    if (body === undefined) throw new Error(`GET ${url} failed (request ${i + 1} of ${count})`);
    seen.add(body);
  }
  return seen;
}

describe('the routing mesh on 3 nodes', () => {
  const cluster = new TestCluster();
  const { manager } = cluster;

  beforeAll(async () => {
    ensureBackendImage();
    await cluster.init('1s');
    await cluster.join('--advertise-addr', ADDRS[1]);
    await cluster.join('--advertise-addr', ADDRS[2]);
  });
  afterAll(() => cluster.destroy());

  it('answers a published port on every node, reaching all three replicas from each', async () => {
    await manager.ok('service', 'create', '--name', 'web', '--replicas', '3', '--publish', `${WEB_PORT}:80`, ...WEB_SERVER);
    const tasks = await manager.running('web');
    expect(new Set(tasks.map((t) => t.nodeId)).size).toBe(3);
    const hostnames = new Set(tasks.map((t) => t.status.runtimeId!.slice(0, 12)));
    for (const addr of ADDRS) {
      const { value } = await waitFor(`all replicas through ${addr}:${WEB_PORT}`, async () => {
        const seen = await answersOf(`http://${addr}:${WEB_PORT}/`, 12);
        return seen.size === 3 ? seen : undefined;
      });
      expect(value).toEqual(hostnames);
    }
    // Each node binds its own address only, as several nodes share this machine.
    expect(await httpGet(`http://127.0.0.4:${WEB_PORT}/`, 500)).toBeUndefined();
  });

  it('answers a UDP service through the mesh on every node', async () => {
    await manager.ok('service', 'create', '--name', 'udp-echo', '--replicas', '2', '--publish', `${UDP_PORT}:9000/udp`, BACKEND_IMAGE, ...UDP_ECHO);
    const hostnames = new Set((await manager.running('udp-echo')).map((t) => t.status.runtimeId!.slice(0, 12)));
    for (const addr of ADDRS) {
      const { value } = await waitFor(`a UDP answer through ${addr}:${UDP_PORT}`, () => udpAsk(addr, UDP_PORT, 'ping'));
      const [host, text] = value.split(':');
      expect(hostnames).toContain(host);
      expect(text).toBe('ping');
    }
  });

  it('loses no request once the mesh has the endpoint of a killed replica removed', async () => {
    const victim = (await manager.running('web'))[0];
    const results: { at: number; ok: boolean }[] = [];
    let looping = true;
    const loop = (async () => {
      while (looping) results.push({ at: Date.now(), ok: (await httpGet(`http://${ADDRS[1]}:${WEB_PORT}/`)) !== undefined });
    })();
    await new Promise((r) => setTimeout(r, 500));
    spawnSync('docker', ['kill', victim.status.runtimeId!]);
    const killedAt = Date.now();
    const { value: gone } = await waitFor('the killed task to leave the running set', async () => {
      const running = await manager.running('web');
      return running.every((t) => t.id !== victim.id) ? Date.now() : undefined;
    });
    await waitFor('a replacement to run', async () => (await manager.running('web')).length === 3, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    looping = false;
    await loop;
    // The mesh applies endpoint changes within a second of the store seeing them.
    const after = results.filter((r) => r.at > gone + 1000);
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((r) => !r.ok)).toEqual([]);
    // A connection to the dead container is retried on another: nothing fails even before.
    expect(results.filter((r) => r.at > killedAt && !r.ok)).toEqual([]);
  });

  it('refuses a port another service publishes, and a bad publish spec, changing nothing', async () => {
    const before = (await manager.api('ServiceList', {})).services.length;
    const conflict = await manager.orch('service', 'create', '--name', 'web2', '--publish', `${WEB_PORT}:80`, ...WEB_SERVER);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/port tcp\/8080 is already published by service "web"/);
    for (const bad of ['99999:80', '80:abc', 'published=8090', 'mode=bridge,8090:80', '8090:80/sctp']) {
      const r = await manager.orch('service', 'create', '--name', 'bad', '--publish', bad, ...WEB_SERVER);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/--publish/);
    }
    expect((await manager.api('ServiceList', {})).services).toHaveLength(before);
  });

  it('allocates a published port from 30000-32767, and adds and removes published ports live', async () => {
    await manager.ok('service', 'create', '--name', 'auto', '--publish', 'target=80', ...WEB_SERVER);
    const { service } = await manager.api('ServiceInspect', { ref: 'auto' });
    const port = service.endpoint.ports[0].publishedPort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    await waitFor(`auto on ${port}`, () => httpGet(`http://${ADDRS[2]}:${port}/`));

    await manager.ok('service', 'update', '--publish-add', '8081:80', 'web');
    for (const addr of ADDRS) await waitFor(`web on ${addr}:8081`, () => httpGet(`http://${addr}:8081/`), 5000);
    const taken = await manager.orch('service', 'update', '--publish-add', `${port}:80`, 'web');
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toMatch(new RegExp(`port tcp/${port} is already published by service "auto"`));
    await manager.ok('service', 'update', '--publish-rm', '8081', 'web');
    for (const addr of ADDRS) await waitFor(`8081 closed on ${addr}`, async () => (await httpGet(`http://${addr}:8081/`, 500)) === undefined, 5000);
    expect(await httpGet(`http://${ADDRS[0]}:${WEB_PORT}/`)).toBeDefined();
  });
});
