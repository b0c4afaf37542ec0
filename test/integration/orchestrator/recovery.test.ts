import { spawnSync } from 'node:child_process';
import { TestNode, containersOf, httpGet, waitFor, SLEEPER, WEB_SERVER } from '../../helpers/cluster';

const PORT = 18081;

describe('daemon crash and restart', () => {
  const node = new TestNode();

  beforeAll(() => node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1'));
  afterAll(() => node.destroy());

  it('comes back after SIGKILL with the same services and tasks, and no duplicate or stray containers', async () => {
    await node.ok('service', 'create', '--name', 'web', '--replicas', '3', '--publish', `${PORT}:80`, ...WEB_SERVER);
    await node.ok('service', 'create', '--name', 'agent', '--mode', 'global', ...SLEEPER);
    const before = (await node.api('TaskList', { filters: { desiredState: ['running'] } })).tasks.map((t) => t.id).sort();
    const containersBefore = containersOf(node.nodeId).map((c) => c.id).sort();
    expect(before).toHaveLength(4);
    expect(containersBefore).toHaveLength(4);

    const pid = node.pid!;
    process.kill(pid, 'SIGKILL');
    await waitFor('the daemon to die', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    await node.ok('daemon', '--detach');
    expect(node.pid).not.toBe(pid);

    const services = (await node.api('ServiceList', {})).services.map((s) => `${s.service.spec.name}:${s.desired}`).sort();
    expect(services).toEqual(['agent:1', 'web:3']);
    await waitFor('all 4 tasks running again', async () => (await node.api('TaskList', { filters: { desiredState: ['running'], state: ['running'] } })).tasks.length === 4);
    const after = (await node.api('TaskList', { filters: { desiredState: ['running'] } })).tasks.map((t) => t.id).sort();
    expect(after).toEqual(before);
    expect(containersOf(node.nodeId).map((c) => c.id).sort()).toEqual(containersBefore);
    await waitFor('the published port to answer again', () => httpGet(`http://127.0.0.1:${PORT}/`), 10_000);
  });

  it('removes a stray container it finds at start', async () => {
    // A container labelled for this node whose task the store does not know.
    const run = spawnSync('docker', ['run', '-d', '--label', `orch.node.id=${node.nodeId}`, '--label', 'orch.task.id=notatask', ...SLEEPER], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const strayId = run.stdout.trim();
    process.kill(node.pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    await node.ok('daemon', '--detach');
    await waitFor('the stray to be removed', () => !containersOf(node.nodeId).some((c) => c.id === strayId), 20_000);
    expect(containersOf(node.nodeId)).toHaveLength(4);
  });

  it('loses no acknowledged write when killed right after it', async () => {
    for (let i = 0; i < 5; i++) {
      await node.ok('node', 'update', '--label-add', `k${i}=v${i}`, 'self');
    }
    process.kill(node.pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    await node.ok('daemon', '--detach');
    const { node: self } = await node.api('NodeInspect', { ref: 'self' });
    expect(self.spec.labels).toEqual({ k0: 'v0', k1: 'v1', k2: 'v2', k3: 'v3', k4: 'v4' });
  });
});
