import { TestNode, containersOf, waitFor, SLEEPER } from '../../helpers/cluster';

describe('global services and constraints on a single node', () => {
  const node = new TestNode();

  beforeAll(() => node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1'));
  afterAll(() => node.destroy());

  it('runs one task of a global service on the node', async () => {
    await node.ok('service', 'create', '--name', 'agent', '--mode', 'global', ...SLEEPER);
    const running = await node.running('agent');
    expect(running).toHaveLength(1);
    expect(running[0].nodeId).toBe(node.nodeId);
    expect(running[0].slot).toBeUndefined();
    expect(await node.ok('service', 'ls')).toMatch(/agent\s+global\s+1\/1/);
  });

  it('leaves tasks PENDING with the reason when no node meets a constraint', async () => {
    await node.ok('service', 'create', '--detach', '--name', 'pinned', '--replicas', '2', '--constraint', 'node.labels.storage == ssd', ...SLEEPER);
    const { value: ps } = await waitFor('the pending reason in service ps', async () => {
      const out = await node.ok('service', 'ps', 'pinned');
      return out.includes('no suitable node (constraint not met on 1 node)') && out;
    });
    expect(ps).toMatch(/Pending/);
    const { tasks } = await node.api('TaskList', { filters: { service: ['pinned'] } });
    expect(tasks.map((t) => t.status.state)).toEqual(['pending', 'pending']);
    expect(tasks.every((t) => t.status.err === 'no suitable node (constraint not met on 1 node)')).toBe(true);
    expect(containersOf(node.nodeId, ['label=orch.service.name=pinned'])).toHaveLength(0);
  });

  it('places the pending tasks as soon as the node gets the label', async () => {
    await node.ok('node', 'update', '--label-add', 'storage=ssd', 'self');
    await waitFor('both pinned tasks running', async () => (await node.running('pinned')).length === 2, 30_000);
  });

  it('stops the global task when the node is drained, and brings it back when active', async () => {
    await node.ok('node', 'update', '--availability', 'drain', 'self');
    await waitFor('no agent task running', async () => (await node.running('agent')).length === 0, 30_000);
    await waitFor('pinned tasks stopped by the drain', async () => (await node.running('pinned')).length === 0, 30_000);
    await node.ok('node', 'update', '--availability', 'active', 'self');
    await waitFor('agent back', async () => (await node.running('agent')).length === 1, 30_000);
    await waitFor('pinned back', async () => (await node.running('pinned')).length === 2, 30_000);
  });
});
