import { parseMountFlag } from '../../../cli/mount-flag';
import { buildServiceSpec } from '../../../cli/service-flags';
import { mountChanges } from '../../../cli/update-groups/container';
import { makeService } from './fixtures';

describe('--mount', () => {
  it('reads docker\'s forms: a volume by default, src/dst aliases, readonly, driver options and labels, tmpfs size and mode', () => {
    expect(parseMountFlag('source=data,target=/data')).toEqual({ type: 'volume', source: 'data', target: '/data' });
    expect(parseMountFlag('type=bind,src=/etc,dst=/host-etc,ro')).toEqual({ type: 'bind', source: '/etc', target: '/host-etc', readOnly: true });
    expect(parseMountFlag('type=volume,src=v,target=/v,readonly=false,volume-driver=nfs,volume-opt=o=addr=1,volume-label=a=b')).toEqual({
      type: 'volume',
      source: 'v',
      target: '/v',
      readOnly: false,
      volume: { driver: 'nfs', options: { o: 'addr=1' }, labels: { a: 'b' } },
    });
    expect(parseMountFlag('type=tmpfs,target=/tmp,tmpfs-size=64m,tmpfs-mode=1770')).toEqual({ type: 'tmpfs', target: '/tmp', tmpfs: { sizeBytes: 64 * 1024 * 1024, mode: 0o1770 } });
  });

  it.each([
    ['source=data', 'invalid --mount: "source=data" has no target'],
    ['type=nfs,target=/x', 'invalid --mount: type=nfs: expected volume, bind or tmpfs'],
    ['target=/x,colour=red', 'invalid --mount: unknown key "colour"'],
    ['target=/x,ro=maybe', 'invalid --mount: ro=maybe: expected true or false'],
    ['type=tmpfs,target=/x,tmpfs-mode=999', 'invalid --mount: tmpfs-mode=999'],
    ['target=/x,volume-opt=novalue', 'invalid --mount: volume-opt needs KEY=VALUE'],
  ])('refuses %s', (text, message) => expect(() => parseMountFlag(text)).toThrow(message));

  it('is checked with the spec on create, naming --mount', () => {
    expect(buildServiceSpec({ name: 'db', mount: ['type=bind,source=/srv,target=/srv'] }, 'busybox', []).task.container.mounts).toEqual([{ type: 'bind', source: '/srv', target: '/srv' }]);
    expect(() => buildServiceSpec({ name: 'db', mount: ['type=bind,source=srv,target=/srv'] }, 'busybox', [])).toThrow('invalid --mount');
  });

  it('--mount-rm TARGET then --mount-add, an added mount replacing the one at its target', () => {
    const s = makeService('db');
    const spec = { ...s.spec, task: { ...s.spec.task, container: { ...s.spec.task.container, mounts: [{ type: 'volume' as const, source: 'a', target: '/a' }, { type: 'tmpfs' as const, target: '/t' }] } } };
    const current = { ...s, spec };
    const changed = mountChanges({ mountRm: ['/t'], mountAdd: ['source=b,target=/a', 'type=tmpfs,target=/u'] })(spec, current);
    expect(changed.task.container.mounts).toEqual([{ type: 'volume', source: 'b', target: '/a' }, { type: 'tmpfs', target: '/u' }]);
    expect(() => mountChanges({ mountRm: ['/nope'] })(spec, current)).toThrow('invalid --mount-rm: service db mounts nothing at "/nope"');
  });
});
