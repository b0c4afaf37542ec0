import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { boundMounts, VolumeMounter } from '../../../core/agent/volume-mounter';
import { matchesVolumeFilters } from '../../../core/api/volume-handlers';
import { Hooks } from '../../../core/hooks';
import { makeTask } from '../../../core/testing/builders';
import type { Mount, Task } from '../../../core/model/types';
import { LocalVolumeDriver } from '../../../plugins/volume-local';

const withMounts = (id: string, mounts: Mount[]): Task => {
  const t = makeTask(id);
  return { ...t, spec: { ...t.spec, container: { ...t.spec.container, mounts } } };
};

describe('VolumeMounter', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-mounter-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('binds each volume mount to the host path its driver gives, leaving other mounts as they are', async () => {
    const local = new LocalVolumeDriver(root);
    const mounter = new VolumeMounter([local], new Hooks());
    const task = withMounts('t1', [{ type: 'volume', source: 'data', target: '/data', readOnly: true }, { type: 'tmpfs', target: '/tmp' }, { type: 'volume', target: '/scratch' }]);
    const mounted = await mounter.mountAll(task);
    expect(mounted.spec.container.mounts).toEqual([
      { type: 'bind', source: path.join(root, 'data', '_data'), target: '/data', readOnly: true },
      { type: 'tmpfs', target: '/tmp' },
      { type: 'bind', source: path.join(root, 'anon-t1-2', '_data'), target: '/scratch' },
    ]);
    await expect(local.remove('data')).rejects.toThrow('in use by task t1');
    await mounter.unmountAll(task);
    await local.remove('data');
    expect(await local.get('anon-t1-2')).toBeUndefined();
  });

  it('finds other drivers through the volume.driver hook, and names a driver nobody has', async () => {
    const hooks = new Hooks();
    const plugin = new LocalVolumeDriver(path.join(root, 'p'));
    hooks.volume.driver.tapPromise('test', async (name) => (name === 'plug' ? Object.assign(Object.create(plugin), { name: 'plug' }) : undefined));
    const mounter = new VolumeMounter([], hooks);
    expect((await mounter.driver('plug')).name).toBe('plug');
    expect(mounter.known().map((d) => d.name)).toEqual(['plug']);
    await expect(mounter.driver('nfs')).rejects.toThrow('no volume driver "nfs" on this node');
  });

  it('passes a task without volumes through untouched', async () => {
    const task = withMounts('t2', [{ type: 'bind', source: '/srv', target: '/srv' }]);
    expect(await new VolumeMounter([], new Hooks()).mountAll(task)).toBe(task);
    expect(boundMounts([{ type: 'tmpfs', target: '/t' }], [])).toEqual([{ type: 'tmpfs', target: '/t' }]);
  });
});

describe('volume filters', () => {
  const v = { name: 'app-data', driver: 'local', labels: { tier: 'db' }, options: {}, scope: 'local' as const };
  it('match a name part, a driver, and labels by key or key=value', () => {
    expect(matchesVolumeFilters(v, { name: ['data'], driver: ['local'], label: ['tier', 'tier=db'] })).toBe(true);
    expect(matchesVolumeFilters(v, { label: ['tier=web'] })).toBe(false);
    expect(matchesVolumeFilters(v, { driver: ['nfs'] })).toBe(false);
  });
});
