import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ControlClient } from '../../../core/api/client';
import { serverIdentityCheck } from '../../../core/cluster/dialer';
import { TestCluster, TestNode } from '../../helpers/cluster';

/** A control client that dials the manager's cluster port with a node's own credentials. */
function clientWithCertsOf(node: TestNode, managerAddr: string): ControlClient {
  const read = (f: string) => fs.readFileSync(path.join(node.dataDir, 'certs', f));
  return new ControlClient(managerAddr, grpc.credentials.createSsl(read('roots.pem'), read('node.key'), read('node.crt'), serverIdentityCheck(undefined, ['manager'])));
}

describe('cluster security', () => {
  const cluster = new TestCluster();
  const other = new TestCluster();

  beforeAll(async () => {
    await cluster.init('1s');
    await cluster.join();
    await other.init('1s');
  });
  afterAll(async () => {
    await cluster.destroy();
    await other.destroy();
  });

  const nodeCount = async () => (await cluster.manager.api('NodeList', {})).nodes.length;

  it('refuses a token with a wrong secret, and nothing joins', async () => {
    const good = await cluster.token();
    const bad = good.replace(/-([0-9a-z]{25})$/, (_, s: string) => `-${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`);
    const node = new TestNode();
    const r = await node.orch('swarm', 'join', '--token', bad, '--advertise-addr', '127.0.0.1', cluster.managerAddr);
    await node.destroy();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid join token/);
    expect(await nodeCount()).toBe(2);
  });

  it('refuses a token whose CA digest names another cluster before sending the secret', async () => {
    const foreign = await other.token();
    const node = new TestNode();
    const r = await node.orch('swarm', 'join', '--token', foreign, '--advertise-addr', '127.0.0.1', cluster.managerAddr);
    await node.destroy();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/different CA than the join token names/);
    expect(await nodeCount()).toBe(2);
  });

  it('refuses a rotated-out token', async () => {
    const old = await cluster.token();
    const rotated = await cluster.manager.ok('swarm', 'join-token', '--rotate', 'worker');
    expect(rotated).toMatch(/Successfully rotated worker join token/);
    expect(await cluster.token()).not.toBe(old);
    const node = new TestNode();
    const r = await node.orch('swarm', 'join', '--token', old, '--advertise-addr', '127.0.0.1', cluster.managerAddr);
    await node.destroy();
    expect(r.stderr).toMatch(/invalid join token/);
    expect(await nodeCount()).toBe(2);
  });

  it('keeps private keys readable by their owner only', () => {
    for (const node of [cluster.manager, cluster.workers[0]]) {
      expect(fs.statSync(path.join(node.dataDir, 'certs', 'node.key')).mode & 0o777).toBe(0o600);
    }
    expect(fs.statSync(path.join(cluster.manager.dataDir, 'orch.sock')).mode & 0o777).toBe(0o600);
  });

  it('prints the root CA certificate', async () => {
    expect(await cluster.manager.ok('swarm', 'ca')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("refuses a worker's certificate on the control API", async () => {
    const client = clientWithCertsOf(cluster.workers[0], cluster.managerAddr);
    await expect(client.call('NodeList', {}, 5000)).rejects.toMatchObject({ code: 'permission-denied', message: expect.stringMatching(/a worker node may not make this call/) });
    client.close();
    const mgr = clientWithCertsOf(cluster.manager, cluster.managerAddr);
    expect((await mgr.call('NodeList', {}, 5000)).nodes).toHaveLength(2);
    mgr.close();
  });

  it("refuses a certificate from another cluster's CA", async () => {
    const stranger = clientWithCertsOf(other.manager, cluster.managerAddr);
    await expect(stranger.call('NodeList', {}, 5000)).rejects.toMatchObject({ code: 'unavailable' });
    stranger.close();
  });

  it('gives a plaintext client on the listen port no cluster data', async () => {
    const plain = new ControlClient(cluster.managerAddr);
    await expect(plain.call('NodeList', {}, 3000)).rejects.toBeDefined();
    plain.close();
    const { port } = { port: Number(cluster.managerAddr.split(':')[1]) };
    const reply = await new Promise<string>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      let got = '';
      sock.on('data', (d) => (got += d.toString('latin1')));
      sock.on('close', () => resolve(got));
      sock.on('error', () => resolve(got));
      setTimeout(() => sock.destroy(), 2000);
    });
    expect(reply).not.toContain(cluster.manager.nodeId);
    expect(reply).not.toMatch(/HTTP\/1\.1 200|orch/);
  });

  it("refuses a removed node's certificate from then on", async () => {
    const worker = cluster.workers[0];
    const id = worker.nodeId;
    await cluster.manager.ok('node', 'rm', '--force', id);
    const client = clientWithCertsOf(worker, cluster.managerAddr);
    await expect(client.call('NodeList', {}, 5000)).rejects.toMatchObject({ code: 'permission-denied', message: expect.stringMatching(/removed/) });
    client.close();
    expect((await cluster.manager.api('NodeList', {})).nodes.map((n) => n.id)).not.toContain(id);
  });
});
