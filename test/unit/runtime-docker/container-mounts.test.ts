import { dockerMounts } from '../../../plugins/runtime-docker/container-config';

describe('dockerMounts', () => {
  it('maps binds, tmpfs and volumes (Docker\'s local driver unless named) to the engine\'s mounts', () => {
    expect(
      dockerMounts([
        { type: 'bind', source: '/srv', target: '/srv', readOnly: true },
        { type: 'volume', source: 'data', target: '/data' },
        { type: 'volume', target: '/anon', volume: { driver: 'nfs', options: { o: 'x' }, labels: { a: 'b' } } },
        { type: 'tmpfs', target: '/tmp', tmpfs: { sizeBytes: 1024 } },
      ]),
    ).toEqual([
      { Type: 'bind', Source: '/srv', Target: '/srv', ReadOnly: true },
      { Type: 'volume', Source: 'data', Target: '/data', ReadOnly: false, VolumeOptions: { NoCopy: false, Labels: {}, DriverConfig: { Name: 'local', Options: {} } } },
      { Type: 'volume', Source: '', Target: '/anon', ReadOnly: false, VolumeOptions: { NoCopy: false, Labels: { a: 'b' }, DriverConfig: { Name: 'nfs', Options: { o: 'x' } } } },
      { Type: 'tmpfs', Source: '', Target: '/tmp', ReadOnly: false, TmpfsOptions: { SizeBytes: 1024, Mode: 0 } },
    ]);
  });
});
