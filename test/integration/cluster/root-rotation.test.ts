import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ControlClient } from '../../../core/api/client';
import { serverIdentityCheck } from '../../../core/cluster/dialer';
import { signedBy } from '../../../core/cluster/peer-verify';
import { SLEEPER, TestCluster, TestNode, waitFor } from '../../helpers/cluster';

const certs = (node: TestNode) => {
  const read = (f: string) => fs.readFileSync(path.join(node.dataDir, 'certs', f), 'utf8');
  return { key: read('node.key'), cert: read('node.crt'), roots: read('roots.pem') };
};

describe('root CA rotation', () => {
  const cluster = new TestCluster();

  beforeAll(async () => {
    await cluster.init('1s');
    await cluster.join();
  });
  afterAll(() => cluster.destroy());

  it('moves every node to a new root without downtime, and then distrusts the old root', async () => {
    const { manager } = cluster;
    const [worker] = cluster.workers;
    await manager.ok('service', 'create', '--name', 'steady', '--replicas', '2', ...SLEEPER);
    const tasks = (await manager.running('steady')).map((t) => t.id).sort();
    const oldRoot = await manager.ok('swarm', 'ca');
    const oldWorker = certs(worker);

    const out = await manager.ok('swarm', 'ca', '--rotate');
    expect(out).toMatch(/rotated TLS certificates: \d\/2 nodes/);
    expect(out).toMatch(/rotated CA certificates: done/);
    const newRoot = await manager.ok('swarm', 'ca');
    expect(newRoot).not.toBe(oldRoot);
    expect(newRoot.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);

    for (const node of [manager, worker]) {
      expect(signedBy(certs(node).cert, newRoot)).toBe(true);
      // Nodes drop the old root within one CA poll of the rotation's end.
      await waitFor('the node to trust only the new root', () => certs(node).roots.trim() === newRoot.trim(), 10_000);
    }
    expect((await manager.api('NodeInspect', { ref: worker.nodeId })).node.status.state).toBe('ready');
    expect((await manager.running('steady')).map((t) => t.id).sort()).toEqual(tasks);
    await manager.ok('service', 'scale', 'steady=4');
    expect((await manager.running('steady')).filter((t) => t.nodeId === worker.nodeId)).toHaveLength(2);

    // The worker's old certificate, from the old root, no longer gets in.
    const old = new ControlClient(
      cluster.managerAddr,
      grpc.credentials.createSsl(Buffer.from(newRoot), Buffer.from(oldWorker.key), Buffer.from(oldWorker.cert), serverIdentityCheck(undefined, ['manager'])),
    );
    const refusal = await old.call('NodeList', {}, 5000).then(() => undefined, (err: Error) => err);
    // Refused either by our check or before it (the server asks only for certificates of the new root).
    expect(refusal).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/not signed by this cluster's CA|needs a node certificate of this cluster/) });
    old.close();
    // A new join token pins the new root.
    expect(await cluster.token()).not.toContain(oldRoot.slice(30, 40));
    const joined = await cluster.join();
    expect(signedBy(certs(joined).cert, newRoot)).toBe(true);
  });
});
