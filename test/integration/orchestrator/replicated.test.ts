import { spawnSync } from 'node:child_process';
import { TestNode, containersOf, httpGet, waitFor, WEB_SERVER } from '../../helpers/cluster';

const PORT = 18080;

describe('a replicated service on a single node', () => {
  const node = new TestNode();

  beforeAll(async () => {
    const out = await node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1');
    expect(out).toMatch(/Swarm initialized: current node \(\w+\) is now a manager/);
  });
  afterAll(() => node.destroy());

  it('runs 3 replicas whose published port answers', async () => {
    const out = await node.ok('service', 'create', '--name', 'web', '--replicas', '3', '--publish', `${PORT}:80`, ...WEB_SERVER);
    expect(out).toMatch(/verify: Service converged/);
    const running = await node.running('web');
    expect(running).toHaveLength(3);
    expect(new Set(running.map((t) => t.slot))).toEqual(new Set([1, 2, 3]));
    expect(containersOf(node.nodeId, ['status=running'])).toHaveLength(3);

    const hostnames = new Set<string>();
    await waitFor('requests through the published port to reach every replica', async () => {
      const body = await httpGet(`http://127.0.0.1:${PORT}/`);
      if (body) hostnames.add(body);
      return hostnames.size === 3;
    }, 20_000, 50);

    const ls = await node.ok('service', 'ls');
    expect(ls).toMatch(/web\s+replicated\s+3\/3\s+orch-test\/busybox\s+\*:18080->80\/tcp/);
  });

  it('replaces a killed container within the restart delay + 3 s', async () => {
    const [victim] = await node.running('web');
    const killedAt = Date.now();
    expect(spawnSync('docker', ['kill', victim.status.runtimeId!]).status).toBe(0);
    const { value: replacement } = await waitFor('a replacement in the same slot', async () => {
      const tasks = await node.running('web');
      return tasks.length === 3 && tasks.find((t) => t.slot === victim.slot && t.id !== victim.id);
    }, 15_000, 100);
    const elapsed = Date.now() - killedAt;
    expect(elapsed).toBeLessThan(5000 + 3000);
    expect(replacement.restartHistory).toHaveLength(1);

    const { tasks } = await node.api('TaskList', { filters: { id: [victim.id] } });
    expect(tasks[0].status.state).toBe('failed');
    expect(tasks[0].status.err).toMatch(/non-zero exit \(137\)/);
    const ps = await node.ok('service', 'ps', 'web');
    expect(ps).toMatch(/\\_ web\.\d+/);
  });

  it('scales to 6 and back to 1', async () => {
    const up = await node.ok('service', 'scale', 'web=6');
    expect(up).toMatch(/web scaled to 6/);
    expect(await node.running('web')).toHaveLength(6);
    expect(containersOf(node.nodeId, ['status=running'])).toHaveLength(6);

    await node.ok('service', 'scale', 'web=1');
    await waitFor('5 containers to stop', () => containersOf(node.nodeId, ['status=running']).length === 1, 30_000);
    expect(await node.running('web')).toHaveLength(1);
    expect((await node.ok('service', 'ls')).includes('1/1')).toBe(true);
  });

  it('removes every container with the service', async () => {
    const rm = await node.ok('service', 'rm', 'web');
    expect(rm.trim()).toBe('web');
    await waitFor('the service containers to be removed', () => containersOf(node.nodeId).length === 0, 30_000);
    await waitFor('its tasks to be reaped', async () => (await node.api('TaskList', {})).tasks.length === 0, 10_000);
    expect((await node.api('ServiceList', {})).services).toHaveLength(0);
  });
});
