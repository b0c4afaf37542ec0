import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestNode, waitFor } from '../../helpers/cluster';
import { TestVolumePlugin } from '../../helpers/volume-plugin';

/** A task that records, in /data, whether a task before it left a file there, then runs until stopped. */
const RECORDER = ['orch-test/busybox', 'sh', '-c', 'if [ -f /data/first ]; then cp /data/first /data/seen-by-next; else hostname > /data/first; fi; trap "exit 0" TERM; sleep 1000000 & wait'];

describe('volumes', () => {
  const node = new TestNode();
  // A Docker volume plugin where Docker looks for one: any existing plugin is found the same way.
  const pluginName = `orch-test-vol-${process.pid}`;
  const pluginRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-vol-plugin-'));
  const plugin = new TestVolumePlugin(`/run/docker/plugins/${pluginName}.sock`, pluginRoot);

  beforeAll(async () => {
    await plugin.listen();
    await node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1');
  });
  afterAll(async () => {
    await node.destroy();
    await plugin.close();
    fs.rmSync(plugin.socketPath, { force: true });
    fs.rmSync(pluginRoot, { recursive: true, force: true });
  });

  it('a volume from a Docker-protocol plugin keeps what one task wrote for the next task of the service', async () => {
    expect(await node.ok('volume', 'create', '--driver', pluginName, '--label', 'app=rec', 'shared')).toBe('shared\n');
    expect(await node.ok('volume', 'ls', '--filter', `driver=${pluginName}`)).toMatch(new RegExp(`^DRIVER\\s+VOLUME NAME\\n${pluginName}\\s+shared\\n$`));

    await node.ok('service', 'create', '--name', 'rec', '--mount', `type=volume,source=shared,target=/data,volume-driver=${pluginName}`, ...RECORDER);
    const { value: first } = await waitFor('the first task to write its file', () => fs.readFileSync(path.join(pluginRoot, 'shared', 'first'), 'utf8'));
    await node.ok('service', 'update', '--force', 'rec');
    const { value: seen } = await waitFor('the next task to read it', () => fs.existsSync(path.join(pluginRoot, 'shared', 'seen-by-next')) && fs.readFileSync(path.join(pluginRoot, 'shared', 'seen-by-next'), 'utf8'));
    expect(seen).toBe(first);
    const mounts = plugin.calls.filter((c) => c.method === 'VolumeDriver.Mount').map((c) => c.body.Name);
    expect(mounts).toEqual(['shared', 'shared']);
    expect(plugin.calls.some((c) => c.method === 'VolumeDriver.Unmount')).toBe(true);

    const refused = await node.orch('volume', 'rm', 'shared');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('volume shared is mounted');
    await node.ok('service', 'rm', 'rec');
    await waitFor('the volume to be free', async () => (await node.orch('volume', 'rm', 'shared')).code === 0);
    expect(fs.existsSync(path.join(pluginRoot, 'shared'))).toBe(false);
  });

  it('the local driver keeps a named volume in the node\'s data dir', async () => {
    await node.ok('service', 'create', '--name', 'loc', '--mount', 'source=data,target=/data', ...RECORDER);
    const file = path.join(node.dataDir, 'volumes', 'data', '_data', 'first');
    await waitFor('the task to write into the local volume', () => fs.existsSync(file));
    const [inspected] = JSON.parse(await node.ok('volume', 'inspect', 'data')) as { driver: string; mountpoint: string }[];
    expect(inspected).toMatchObject({ driver: 'local', mountpoint: path.join(node.dataDir, 'volumes', 'data', '_data') });
    await node.ok('service', 'rm', 'loc');
    await waitFor('the volume to be free', async () => (await node.orch('volume', 'rm', 'data')).code === 0);
    const missing = await node.orch('volume', 'inspect', 'data');
    expect(missing.stderr).toContain('no volume "data" on this node');
  });
});
