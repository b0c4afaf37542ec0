import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SLEEPER, TestCluster, TestNode, waitFor } from '../../helpers/cluster';

const certOf = (node: TestNode) => new X509Certificate(fs.readFileSync(path.join(node.dataDir, 'certs', 'node.crt')));

describe('certificate renewal', () => {
  const cluster = new TestCluster();

  beforeAll(async () => {
    await cluster.init('1s', '--cert-expiry', '30s');
    await cluster.join();
  });
  afterAll(() => cluster.destroy());

  it('renews node certificates in the second half of their life with no interruption', async () => {
    const [worker] = cluster.workers;
    const { manager } = cluster;
    await manager.ok('service', 'create', '--name', 'steady', '--replicas', '2', ...SLEEPER);
    const tasks = (await manager.running('steady')).map((t) => t.id).sort();
    const first = certOf(worker);
    const firstManager = certOf(manager);
    const lifetime = Date.parse(first.validTo) - Date.parse(first.validFrom);
    expect(lifetime).toBeLessThanOrEqual(30_000 + 3600_000);

    const { value: renewed } = await waitFor('the worker certificate to be renewed', () => {
      const c = certOf(worker);
      return c.serialNumber !== first.serialNumber && c;
    }, 40_000, 250);
    expect(Date.parse(renewed.validTo)).toBeGreaterThan(Date.parse(first.validTo));
    expect(renewed.subject).toBe(first.subject);
    await waitFor('the manager certificate to be renewed', () => certOf(manager).serialNumber !== firstManager.serialNumber, 40_000, 250);

    // Past the first certificate's end, the worker still works: it is READY and takes new tasks.
    const wait = Date.parse(first.validTo) - Date.now() + 1000;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect((await manager.api('NodeInspect', { ref: worker.nodeId })).node.status.state).toBe('ready');
    const all = (await manager.api('TaskList', { filters: { service: ['steady'] } })).tasks;
    expect(all.filter((t) => !tasks.includes(t.id)).map((t) => t.status)).toEqual([]);
    expect(all.filter((t) => tasks.includes(t.id)).map((t) => `${t.desiredState} ${t.status.state} ${t.status.err ?? ''}`)).toEqual(['running running ', 'running running ']);
    expect((await manager.running('steady')).map((t) => t.id).sort()).toEqual(tasks);
    await manager.ok('service', 'scale', 'steady=4');
    expect((await manager.running('steady')).filter((t) => t.nodeId === worker.nodeId)).toHaveLength(2);
  });
});
