import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { resolve } from 'node:path';
import Docker from 'dockerode';
import type { IngressMesh } from '../../../plugins/net-ingress';
import { freePort, ingress, newMesh, service, tally } from '../../unit/net-ingress/helpers';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

const IMAGE = 'orch-test/busybox';
/** A web server answering with its container's hostname. */
const HTTPD = ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && httpd -f -p 80 -h /www'];
const LABEL = 'orch-test.net-ingress';
const run = `${process.pid}-${randomBytes(3).toString('hex')}`;

const docker = new Docker();
let containers: Docker.Container[] = [];
let mesh: IngressMesh;
let published: number;

/** GET / at `host:port` (the mesh, by default): the answering container's hostname. */
function get(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: '/', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body.trim()));
      })
      .on('error', reject);
  });
}

async function getMany(count: number): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < count; i++) answers.push(await get(published));
  return answers;
}

beforeAll(async () => {
  execFileSync('bash', [resolve(__dirname, '../../../scripts/build-test-image.sh'), IMAGE], { stdio: 'inherit' });
  containers = await Promise.all(
    [1, 2, 3].map((i) => docker.createContainer({ Image: IMAGE, Cmd: HTTPD, Hostname: `web${i}-${run}`, Labels: { [LABEL]: run } })),
  );
  await Promise.all(containers.map((c) => c.start()));
  const addrs = await Promise.all(containers.map(async (c) => Object.values((await c.inspect()).NetworkSettings.Networks)[0].IPAddress));
  // Every web server answers directly before the mesh goes in front of them (a busy machine starts them slowly).
  const deadline = Date.now() + 20_000;
  for (const addr of addrs) {
    while (!(await get(80, addr).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error(`the web server at ${addr} never answered`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  published = await freePort();
  mesh = newMesh({ connectTimeoutMs: 1000 });
  mesh.update(service([ingress('tcp', published, 80)], addrs));
});

afterAll(async () => {
  await mesh?.close();
  await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
});

describe('IngressMesh in front of real containers', () => {
  it('balances requests over every container by its address', async () => {
    const answers = tally(await getMany(30));
    expect(Object.keys(answers).sort()).toEqual([1, 2, 3].map((i) => `web${i}-${run}`));
  });

  it('keeps answering when a container dies, from the others', async () => {
    await containers[2].kill();
    const answers = tally(await getMany(20));
    expect(Object.keys(answers).sort()).toEqual([1, 2].map((i) => `web${i}-${run}`));
    expect(mesh.stats()[0].connectionsFailed).toBe(0);
  });
});
