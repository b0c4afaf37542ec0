import { lddPaths } from '../../../bench/ingress/backend-image';

describe('lddPaths', () => {
  it('lists the libraries and the loader, not the vDSO', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd1a3f2000)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f63c5fac000)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f63c5a1e000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f63c5fc4000)',
      '',
    ].join('\n');
    expect(lddPaths(output)).toEqual(['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });
});
