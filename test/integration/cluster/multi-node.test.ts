import { spawnSync } from 'node:child_process';
import { SLEEPER, TestCluster, containersOf, waitFor } from '../../helpers/cluster';

const HEARTBEAT_MS = 1000;

describe('a 3-node cluster on loopback', () => {
  const cluster = new TestCluster();

  beforeAll(async () => {
    await cluster.init('1s');
    await cluster.join();
    await cluster.join('--label', 'storage=ssd');
  });
  afterAll(() => cluster.destroy());

  const { manager } = cluster;
  const nodeOf = async (service: string) => (await manager.running(service)).map((t) => t.nodeId!).sort();

  it('lists the nodes with their roles and status', async () => {
    const ls = await manager.ok('node', 'ls');
    expect(ls.split('\n').filter((l) => /Ready\s+Active/.test(l))).toHaveLength(3);
    expect(ls).toMatch(/Leader/);
    const { nodes } = await manager.api('NodeList', {});
    expect(nodes.map((n) => n.spec.role).sort()).toEqual(['manager', 'worker', 'worker']);
    const labelled = nodes.find((n) => n.id === cluster.workers[1].nodeId)!;
    expect(labelled.description.engine.labels.storage).toBe('ssd');
  });

  it('places 3 replicas one per node', async () => {
    await manager.ok('service', 'create', '--name', 'spread', '--replicas', '3', ...SLEEPER);
    const ids = [manager.nodeId, ...cluster.workers.map((w) => w.nodeId)].sort();
    expect(await nodeOf('spread')).toEqual(ids);
    for (const w of cluster.workers) expect(containersOf(w.nodeId, ['status=running'])).toHaveLength(1);
  });

  it('honours constraints on node and engine labels', async () => {
    const [w1] = cluster.workers;
    await manager.ok('node', 'update', '--label-add', 'storage=ssd', w1.nodeId);
    await manager.ok('service', 'create', '--name', 'ssd', '--replicas', '4', '--constraint', 'node.labels.storage==ssd', ...SLEEPER);
    expect(new Set(await nodeOf('ssd'))).toEqual(new Set([w1.nodeId]));
    await manager.ok('service', 'create', '--name', 'engine', '--replicas', '2', '--constraint', 'engine.labels.storage==ssd', ...SLEEPER);
    expect(new Set(await nodeOf('engine'))).toEqual(new Set([cluster.workers[1].nodeId]));
  });

  it('runs a global service on every node, and on a node that joins', async () => {
    await manager.ok('service', 'create', '--name', 'agent', '--mode', 'global', ...SLEEPER);
    expect(await nodeOf('agent')).toHaveLength(3);
    const fourth = await cluster.join();
    await waitFor('the global task on the new node', async () => (await nodeOf('agent')).includes(fourth.nodeId), 30_000);
    expect(await nodeOf('agent')).toHaveLength(4);
  });

  it('moves the tasks of a killed worker elsewhere within heartbeat x 3 + 5 s, and runs no extra task when it returns', async () => {
    const victim = cluster.workers[0];
    const before = (await manager.running('spread')).filter((t) => t.nodeId === victim.nodeId);
    expect(before).toHaveLength(1);
    const killedAt = Date.now();
    process.kill(victim.pid!, 'SIGKILL');
    spawnSync('docker', ['rm', '-f', ...containersOf(victim.nodeId).map((c) => c.id)]);
    const { ms } = await waitFor(
      'the task to run on another node',
      async () => {
        const tasks = await manager.running('spread');
        return tasks.length === 3 && tasks.every((t) => t.nodeId !== victim.nodeId);
      },
      30_000,
      100,
    );
    expect(Date.now() - killedAt).toBeLessThan(HEARTBEAT_MS * 3 + 5000);
    expect(ms).toBeGreaterThan(0);
    expect((await manager.api('NodeInspect', { ref: victim.nodeId })).node.status.state).toBe('down');

    await victim.ok('daemon', '--detach');
    await waitFor('the worker to be ready again', async () => (await manager.api('NodeInspect', { ref: victim.nodeId })).node.status.state === 'ready', 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await manager.running('spread')).toHaveLength(3);
    expect(containersOf(victim.nodeId, ['status=running', 'label=orch.service.name=spread'])).toHaveLength(0);
  });

  it('drains a node and lets tasks come back on new placements when active', async () => {
    const target = cluster.workers[1];
    await manager.ok('node', 'update', '--availability', 'drain', target.nodeId);
    await waitFor('no task left on the drained node', async () => containersOf(target.nodeId, ['status=running']).length === 0, 30_000);
    await waitFor('3 replicas running away from the drained node', async () => {
      const tasks = await manager.running('spread');
      return tasks.length === 3 && tasks.every((t) => t.nodeId !== target.nodeId);
    }, 30_000);
    await manager.ok('node', 'update', '--availability', 'active', target.nodeId);
    await manager.ok('service', 'scale', 'spread=6');
    expect((await manager.running('spread')).some((t) => t.nodeId === target.nodeId)).toBe(true);
  });
});
