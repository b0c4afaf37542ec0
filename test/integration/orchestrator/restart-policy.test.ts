import { spawnSync } from 'node:child_process';
import { TestNode, SLEEPER, waitFor } from '../../helpers/cluster';

describe('restart policies', () => {
  const node = new TestNode();

  beforeAll(() => node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1'));
  afterAll(() => node.destroy());

  const tasksOf = async (service: string) => (await node.api('TaskList', { filters: { service: [service] } })).tasks;

  it('on-failure does not restart a task that exits 0', async () => {
    await node.ok('service', 'create', '--detach', '--name', 'once', '--restart-condition', 'on-failure', '--restart-delay', '100ms', 'orch-test/busybox', 'true');
    await waitFor('the task to complete', async () => (await tasksOf('once')).some((t) => t.status.state === 'complete'));
    await new Promise((r) => setTimeout(r, 1500));
    const tasks = await tasksOf('once');
    expect(tasks).toHaveLength(1);
    expect(tasks[0].status).toMatchObject({ state: 'complete', exitCode: 0 });
  });

  it('stops restarting after --restart-max-attempts', async () => {
    await node.ok('service', 'create', '--detach', '--name', 'crashy', '--restart-max-attempts', '2', '--restart-delay', '100ms', 'orch-test/busybox', 'sh', '-c', 'exit 3');
    await waitFor('three failed tasks', async () => (await tasksOf('crashy')).filter((t) => t.status.state === 'failed').length === 3, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    const tasks = await tasksOf('crashy');
    expect(tasks).toHaveLength(3);
    expect(tasks.every((t) => t.status.exitCode === 3 && t.slot === 1)).toBe(true);
    expect(tasks.map((t) => t.restartHistory.length).sort()).toEqual([0, 1, 2]);
  });

  it('none leaves a killed task dead, and the service under its count', async () => {
    await node.ok('service', 'create', '--name', 'fragile', '--restart-condition', 'none', ...SLEEPER);
    const [task] = await node.running('fragile');
    expect(spawnSync('docker', ['kill', task.status.runtimeId!]).status).toBe(0);
    await waitFor('the task to fail', async () => (await tasksOf('fragile'))[0]?.status.state === 'failed');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tasksOf('fragile')).toHaveLength(1);
    expect(await node.ok('service', 'ls')).toMatch(/fragile\s+replicated\s+0\/1/);
  });
});
