import { parseServiceSpec } from '../../../core/model/service-spec';
import type { Json } from '../../../core/model/check';

const withMounts = (mounts: Json) => parseServiceSpec({ name: 'db', task: { container: { image: 'busybox', mounts } } }).task.container.mounts;

describe('mounts in a service spec', () => {
  it('reads volume, bind and tmpfs mounts with their options', () => {
    expect(
      withMounts([
        { type: 'volume', source: 'data', target: '/data', volume: { driver: 'local', options: { o: 'bind' }, labels: { k: 'v' } } },
        { type: 'volume', target: '/scratch' },
        { type: 'bind', source: '/etc/hosts', target: '/hosts', readOnly: true },
        { type: 'tmpfs', target: '/tmp', tmpfs: { sizeBytes: 1024, mode: 0o1777 } },
      ]),
    ).toEqual([
      { type: 'volume', source: 'data', target: '/data', volume: { driver: 'local', options: { o: 'bind' }, labels: { k: 'v' } } },
      { type: 'volume', target: '/scratch' },
      { type: 'bind', source: '/etc/hosts', target: '/hosts', readOnly: true },
      { type: 'tmpfs', target: '/tmp', tmpfs: { sizeBytes: 1024, mode: 0o1777 } },
    ]);
  });

  it.each<[Json, string]>([
    [[{ type: 'nfs', target: '/x' }], 'task.container.mounts[0].type'],
    [[{ type: 'volume', target: 'data' }], 'task.container.mounts[0].target: "data" is not an absolute path'],
    [[{ type: 'bind', source: 'rel', target: '/x' }], 'task.container.mounts[0].source: "rel" is not an absolute host path'],
    [[{ type: 'bind', target: '/x' }], 'task.container.mounts[0].source'],
    [[{ type: 'tmpfs', source: 'x', target: '/x' }], 'task.container.mounts[0].source: a tmpfs mount has no source'],
    [[{ type: 'bind', source: '/a', target: '/x', volume: {} }], 'task.container.mounts[0].volume: only a volume mount takes volume options'],
    [[{ type: 'volume', source: 'a b', target: '/x' }], 'task.container.mounts[0].source'],
    [[{ type: 'volume', target: '/x' }, { type: 'tmpfs', target: '/x' }], 'task.container.mounts[1].target: "/x" is already the target of task.container.mounts[0]'],
  ])('refuses %j naming the field', (mounts, message) => expect(() => withMounts(mounts)).toThrow(message));
});
