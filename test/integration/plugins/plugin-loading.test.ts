import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, SLEEPER, TestCluster, TestNode, waitFor } from '../../helpers/cluster';

const BINPACK = path.resolve(__dirname, '../../../dist/examples/plugins/scheduler-binpack/index.js');

/** Nodes of the running tasks of `service`, as seen by `cluster`'s manager. */
async function placements(cluster: TestCluster, service: string): Promise<string[]> {
  const { value } = await waitFor(`3 tasks of ${service} running`, async () => {
    const running = await cluster.manager.running(service);
    return running.length === 3 && running;
  }, 60_000);
  return value.map((t) => t.nodeId!);
}

async function threeNodes(config?: object): Promise<TestCluster> {
  const cluster = new TestCluster();
  if (config) fs.writeFileSync(path.join(cluster.manager.dataDir, 'orch.json'), JSON.stringify(config));
  await cluster.init();
  await cluster.join();
  await cluster.join();
  return cluster;
}

describe('plugins loaded by config', () => {
  it('a binpack scheduler from the data dir\'s orch.json fills one node, where spread uses all three', async () => {
    const binpack = await threeNodes({ plugins: [BINPACK], disable: ['scheduler-spread'] });
    const spread = await threeNodes();
    try {
      await binpack.manager.ok('service', 'create', '-d', '--name', 'packed', '--replicas', '3', ...SLEEPER);
      await spread.manager.ok('service', 'create', '-d', '--name', 'spread', '--replicas', '3', ...SLEEPER);
      expect(new Set(await placements(binpack, 'packed')).size).toBe(1);
      expect(new Set(await placements(spread, 'spread')).size).toBe(3);

      // plugin ls shows what every node loaded: the manager's binpack instead of spread, the workers' defaults.
      const ls = async (...filters: string[]) =>
        (await binpack.manager.ok('plugin', 'ls', '--format', 'json', ...filters)).trim().split('\n').map((l) => JSON.parse(l) as { Node: string; Name: string; Provides: string; Taps: string });
      const rows = await ls();
      const managers = (await ls('--filter', `node=${binpack.manager.nodeId}`)).map((r) => r.Name);
      expect(managers).toContain('scheduler-binpack');
      expect(managers).not.toContain('scheduler-spread');
      expect(rows.find((r) => r.Name === 'scheduler-binpack')).toMatchObject({ Provides: 'Scheduler', Taps: '-' });
      expect(rows.find((r) => r.Name === 'scheduler-filters')).toMatchObject({ Taps: 'constraints.key, scheduler.filter, service.validate' });
      expect(rows.filter((r) => r.Name === 'runtime-docker')).toHaveLength(3);
    } finally {
      await binpack.destroy();
      await spread.destroy();
    }
  });
});

describe('a bad plugin set is refused at boot', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bad-plugins-'));
  const write = (name: string, manifest: object) => {
    const file = path.join(dir, `${name}.js`);
    fs.writeFileSync(file, `module.exports = { plugin: { ...${JSON.stringify(manifest)}, apply() {} } };`);
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['an incompatible kernel range', { name: 'future', version: '1.0.0', kernel: '^9.0' }, 'plugin "future" needs kernel ^9.0, but this kernel is 1.0.0'],
    ['a missing dependency', { name: 'lonely', version: '1.0.0', kernel: '^1.0', dependsOn: ['orch-plugin-nope'] }, 'plugin "lonely" depends on "orch-plugin-nope", which is not loaded'],
  ])('%s', async (_what, manifest, message) => {
    const node = new TestNode();
    try {
      const r = await node.orch('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`, '--plugin', write(manifest.name, manifest));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(message);
      expect(fs.existsSync(path.join(node.dataDir, 'orch.json'))).toBe(false);
    } finally {
      await node.destroy();
    }
  });
});
