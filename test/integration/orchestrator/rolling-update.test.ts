import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, httpGet, TestNode, waitFor, WEB_SERVER } from '../../helpers/cluster';

/** A second tag of the web server's image, so an update changes the image. */
const WEB_V2 = 'orch-test/busybox:web-v2';
/** An image whose command exits at once, whatever the arguments. */
const EXITS = 'orch-test/exits:1';

function docker(...args: string[]): void {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
}

function buildImages(): void {
  docker('tag', 'orch-test/busybox', WEB_V2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-exits-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM orch-test/busybox\nENTRYPOINT ["sh", "-c", "echo this build is broken; exit 3"]\n');
  docker('build', '-q', '-t', EXITS, dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

describe('rolling updates on a single node', () => {
  const node = new TestNode();

  beforeAll(async () => {
    buildImages();
    await node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1');
  });
  afterAll(() => node.destroy());
  afterEach(async () => {
    const { services } = await node.api('ServiceList', {});
    for (const s of services) await node.ok('service', 'rm', s.service.id);
  });

  it('replaces the 3 tasks of a web service one at a time, then marks the update completed', async () => {
    await node.ok('service', 'create', '--name', 'web', '--replicas', '3', '--stop-grace-period', '1s', ...WEB_SERVER);
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

  it('updates start-first behind the mesh while a client loops requests: none fails, all tasks end on the new image', async () => {
    const port = await freePort();
    await node.ok('service', 'create', '--name', 'front', '--replicas', '3', '--publish', `${port}:80`, ...WEB_SERVER);
    await waitFor('the service to answer through the mesh', () => httpGet(`http://127.0.0.1:${port}/`));
    const results: boolean[] = [];
    let looping = true;
    const loop = (async () => {
      while (looping) results.push((await httpGet(`http://127.0.0.1:${port}/`)) !== undefined);
    })();
    const out = await node.ok('service', 'update', '--image', WEB_V2, '--update-order', 'start-first', '--update-monitor', '1s', 'front');
    looping = false;
    await loop;
    expect(out).toContain('verify: Service converged');
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((ok) => !ok)).toHaveLength(0);
    const running = await node.running('front');
    expect(running.map((t) => t.spec.container.image)).toEqual([WEB_V2, WEB_V2, WEB_V2]);
  });

  it('rolls an update to an image that exits at once back to the old spec, and inspect says why', async () => {
    await node.ok('service', 'create', '--name', 'app', '--replicas', '3', '--rollback-monitor', '1s', ...WEB_SERVER);
    const r = await node.orch('service', 'update', '--image', EXITS, '--update-failure-action', 'rollback', '--update-monitor', '3s', 'app');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rollback: update rolled back due to failure or early termination of task \w+/);
    expect(r.stderr).toMatch(/service rolled back: rollback completed: update rolled back due to failure or early termination of task \w+: task: non-zero exit \(3\)/);

    const { service } = await node.api('ServiceInspect', { ref: 'app' });
    expect(service.spec.task.container.image).toBe('orch-test/busybox');
    expect(service.previousSpec?.task.container.image).toBe(EXITS);
    expect(service.updateStatus).toMatchObject({ state: 'rollback_completed', message: expect.stringContaining('update rolled back due to failure or early termination of task') });
    const running = await node.running('app');
    expect(running.map((t) => t.spec.container.image)).toEqual(['orch-test/busybox', 'orch-test/busybox', 'orch-test/busybox']);

    // A manual rollback swaps back to the spec it left.
    const manual = await node.orch('service', 'rollback', '-d', 'app');
    expect(manual.code).toBe(0);
    expect((await node.api('ServiceInspect', { ref: 'app' })).service.updateStatus).toMatchObject({ state: 'rollback_started', message: 'manually requested rollback' });
  });
});
