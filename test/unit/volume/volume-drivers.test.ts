import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OrchError } from '../../../core/errors';
import { testKernel } from '../../../core/testing/plugin-harness';
import { findPlugin, parseSpecFile } from '../../../plugins/volume-docker-plugins';
import { createDockerVolumePlugins } from '../../../plugins/volume-docker-plugins';
import { LocalVolumeDriver } from '../../../plugins/volume-local';
import { TestVolumePlugin } from '../../helpers/volume-plugin';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-vol-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the local volume driver', () => {
  it('makes a volume a directory of the node, once, and lists it', async () => {
    const d = new LocalVolumeDriver(path.join(tmp, 'volumes'));
    const v = await d.create('data', {}, { app: 'db' });
    expect(v).toMatchObject({ name: 'data', driver: 'local', mountpoint: path.join(tmp, 'volumes', 'data', '_data'), labels: { app: 'db' }, scope: 'local' });
    expect(await d.create('data', {}, {})).toEqual(v);
    fs.writeFileSync(path.join(v.mountpoint!, 'f'), 'x');
    expect((await d.list()).map((x) => x.name)).toEqual(['data']);
    expect(await new LocalVolumeDriver(path.join(tmp, 'volumes')).get('data')).toEqual(v);
  });

  it('mounts (making the volume on first use), refuses removal while mounted, and removes its data', async () => {
    const d = new LocalVolumeDriver(path.join(tmp, 'volumes'));
    const where = await d.mount('auto', 'task1');
    expect(fs.existsSync(where)).toBe(true);
    await expect(d.remove('auto')).rejects.toThrow('volume auto is in use by task task1');
    await d.unmount('auto', 'task1');
    await d.remove('auto');
    expect(await d.get('auto')).toBeUndefined();
    await d.remove('auto');
  });

  it('refuses options and bad names, naming them', async () => {
    const d = new LocalVolumeDriver(path.join(tmp, 'volumes'));
    await expect(d.create('x', { type: 'nfs' }, {})).rejects.toThrow('the local volume driver takes no options (got "type")');
    await expect(d.create('../etc', {}, {})).rejects.toBeInstanceOf(OrchError);
  });
});

describe('the Docker volume plugin adapter', () => {
  it('finds a plugin by socket or spec file as Docker does', async () => {
    fs.mkdirSync(path.join(tmp, 'run', 'managed'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'run', 'managed', 'managed.sock'), '');
    fs.mkdirSync(path.join(tmp, 'etc'));
    fs.writeFileSync(path.join(tmp, 'etc', 'tcpplug.spec'), 'tcp://127.0.0.1:9000\n');
    fs.writeFileSync(path.join(tmp, 'etc', 'jsonplug.json'), '{"Name":"jsonplug","Addr":"unix:///run/x.sock"}');
    const dirs = [path.join(tmp, 'run'), path.join(tmp, 'etc')];
    expect(await findPlugin('managed', dirs)).toEqual({ socketPath: path.join(tmp, 'run', 'managed', 'managed.sock') });
    expect(await findPlugin('tcpplug', dirs)).toEqual({ baseUrl: 'http://127.0.0.1:9000' });
    expect(await findPlugin('jsonplug', dirs)).toEqual({ socketPath: '/run/x.sock' });
    expect(await findPlugin('absent', dirs)).toBeUndefined();
    expect(() => parseSpecFile('x.spec', 'ftp://a')).toThrow('x.spec: expected a unix:// or tcp:// address, got "ftp://a"');
  });

  it('speaks the protocol to a plugin through the volume.driver hook: create, mount, unmount, list, remove', async () => {
    const plugin = new TestVolumePlugin(path.join(tmp, 'plugins', 'testvol.sock'), path.join(tmp, 'data'));
    await plugin.listen();
    try {
      const { hooks } = await testKernel(createDockerVolumePlugins({ dirs: [path.join(tmp, 'plugins')] }));
      expect(await hooks.volume.driver.promise('nothere')).toBeUndefined();
      const driver = (await hooks.volume.driver.promise('testvol'))!;
      expect(driver.name).toBe('testvol');
      const v = await driver.create('shared', { size: '1g' }, { app: 'x' });
      expect(v).toMatchObject({ name: 'shared', driver: 'testvol', mountpoint: path.join(tmp, 'data', 'shared'), labels: { app: 'x' }, scope: 'local' });
      expect(await driver.mount('shared', 'task1')).toBe(path.join(tmp, 'data', 'shared'));
      await expect(driver.remove('shared')).rejects.toThrow('volume plugin testvol: volume shared is mounted');
      await driver.unmount('shared', 'task1');
      expect((await driver.list()).map((x) => x.name)).toEqual(['shared']);
      await driver.remove('shared');
      expect(await driver.get('shared')).toBeUndefined();
      expect(plugin.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['Plugin.Activate', 'VolumeDriver.Capabilities', 'VolumeDriver.Create', 'VolumeDriver.Mount', 'VolumeDriver.Unmount', 'VolumeDriver.List', 'VolumeDriver.Remove']));
      expect(plugin.calls.find((c) => c.method === 'VolumeDriver.Create')?.body).toEqual({ Name: 'shared', Opts: { size: '1g' } });
    } finally {
      await plugin.close();
    }
  });

  it('says when a plugin does not answer its activation in time', async () => {
    fs.mkdirSync(path.join(tmp, 'plugins'));
    fs.writeFileSync(path.join(tmp, 'plugins', 'dead.spec'), 'unix:///nonexistent/dead.sock');
    const { hooks } = await testKernel(createDockerVolumePlugins({ dirs: [path.join(tmp, 'plugins')], activateTimeoutMs: 300 }));
    await expect(hooks.volume.driver.promise('dead')).rejects.toThrow(/ENOENT|ECONNREFUSED/);
  });
});
