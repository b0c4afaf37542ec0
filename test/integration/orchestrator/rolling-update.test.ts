import { TestNode, waitFor, WEB_SERVER } from '../../helpers/cluster';

describe('a rolling update on a single node', () => {
  const node = new TestNode();

  beforeAll(async () => {
    await node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1');
  });
  afterAll(() => node.destroy());

  it('replaces the 3 tasks of a web service one at a time, then marks the update completed', async () => {
    await node.ok('service', 'create', '--name', 'web', '--replicas', '3', ...WEB_SERVER);
    const before = await node.running('web');
    expect(before).toHaveLength(3);

    await node.ok('service', 'update', '-d', '--env-add', 'X=1', '--update-parallelism', '1', '--update-monitor', '1s', 'web');
    const { value: service } = await waitFor('the update to complete', async () => {
      const { service: s } = await node.api('ServiceInspect', { ref: 'web' });
      return s.updateStatus?.state === 'completed' && s;
    }, 60_000);
    expect(service.updateStatus).toMatchObject({ message: 'update completed', specVersion: 2 });

    const after = await node.running('web');
    expect(after.map((t) => [t.slot, t.specVersion, t.spec.container.env]).sort()).toEqual([
      [1, 2, ['X=1']],
      [2, 2, ['X=1']],
      [3, 2, ['X=1']],
    ]);
    const { tasks } = await node.api('TaskList', { filters: { id: before.map((t) => t.id) } });
    expect(tasks.map((t) => [t.desiredState, t.status.state])).toEqual([['shutdown', 'shutdown'], ['shutdown', 'shutdown'], ['shutdown', 'shutdown']]);
  });
});
