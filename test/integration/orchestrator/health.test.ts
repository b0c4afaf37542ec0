import { spawnSync } from 'node:child_process';
import { TestCluster, WEB_SERVER, freePort, httpGet, waitFor } from '../../helpers/cluster';

/** When a container stopped, from `docker inspect` (ms since the epoch), or undefined while it runs. */
function finishedAt(containerId: string): number | undefined {
  const out = spawnSync('docker', ['inspect', '--format', '{{.State.Running}} {{.State.FinishedAt}}', containerId], { encoding: 'utf8' }).stdout.trim();
  const [running, at] = out.split(' ');
  return running === 'false' ? Date.parse(at) : undefined;
}

describe('health checks', () => {
  const cluster = new TestCluster();
  const { manager } = cluster;
  beforeAll(() => cluster.init('1s'));
  afterAll(() => cluster.destroy());

  it('runs a task only once healthy, and replaces one that turns unhealthy after traffic has left it', async () => {
    const port = await freePort();
    await manager.ok(
      'service', 'create', '--name', 'hc', '--replicas', '2', '--publish', `${port}:80`,
      '--health-cmd', 'test ! -f /sick', '--health-interval', '1s', '--health-retries', '2',
      ...WEB_SERVER,
    );
    const tasks = await manager.running('hc');
    expect(tasks).toHaveLength(2);
    expect(tasks.every((t) => t.status.message === 'started (healthy)')).toBe(true);
    const victim = tasks[0];
    const victimHost = victim.status.runtimeId!.slice(0, 12);

    const answers: { at: number; body: string | undefined }[] = [];
    let looping = true;
    const loop = (async () => {
      while (looping) answers.push({ at: Date.now(), body: await httpGet(`http://127.0.0.1:${port}/`) });
    })();
    await waitFor('the victim to answer through the mesh', () => answers.some((a) => a.body === victimHost));
    spawnSync('docker', ['exec', victim.status.runtimeId!, 'touch', '/sick']);

    const { value: failed } = await waitFor('the victim to be reported unhealthy', async () => {
      const { tasks: all } = await manager.api('TaskList', { filters: { id: [victim.id] } });
      return all[0]?.status.state === 'failed' ? all[0] : undefined;
    });
    expect(failed.status.err).toMatch(/unhealthy container/);
    await waitFor('a replacement to run', async () => (await manager.running('hc')).length === 2, 60_000);
    const { value: stoppedAt } = await waitFor('the victim container to stop', () => finishedAt(victim.status.runtimeId!));
    await new Promise((r) => setTimeout(r, 500));
    looping = false;
    await loop;

    expect(answers.filter((a) => a.body === undefined)).toEqual([]);
    const lastVictimAnswer = Math.max(...answers.filter((a) => a.body === victimHost).map((a) => a.at));
    // The mesh stopped sending it traffic before it was stopped.
    expect(lastVictimAnswer).toBeLessThan(stoppedAt);
  });

  it('refuses bad health flags before anything is written', async () => {
    const before = (await manager.api('ServiceList', {})).services.length;
    for (const flags of [['--health-cmd', 'true', '--health-tcp', '80'], ['--health-interval', '1s'], ['--health-http', 'x'], ['--no-healthcheck', '--health-retries', '2']]) {
      const r = await manager.orch('service', 'create', '--name', 'bad', ...flags, ...WEB_SERVER);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/--(health|no-healthcheck)/);
    }
    expect((await manager.api('ServiceList', {})).services).toHaveLength(before);
  });
});
