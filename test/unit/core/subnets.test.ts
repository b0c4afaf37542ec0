import { allocateSubnet } from '../../../core/allocator/subnets';
import type { Network } from '../../../core/model/types';

const net = (name: string, subnet: string): Network => ({
  id: `id-${name}`,
  meta: { version: 1, createdAt: '', updatedAt: '' },
  spec: { name, driver: 'overlay', labels: {}, attachable: false },
  subnet,
  gateway: '',
});

/** The error `fn` throws. */
function refusal(fn: () => unknown): { code?: string; field?: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; field?: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('allocateSubnet', () => {
  it('picks the first free /24 of 10.0.0.0/8 from the offset, skipping 10.0.0.0/24; the gateway is its first host', () => {
    expect(allocateSubnet(undefined, [], 0)).toEqual({ subnet: '10.0.1.0/24', gateway: '10.0.1.1' });
    expect(allocateSubnet(undefined, [], 1)).toEqual({ subnet: '10.0.1.0/24', gateway: '10.0.1.1' });
    expect(allocateSubnet(undefined, [], 258)).toEqual({ subnet: '10.1.2.0/24', gateway: '10.1.2.1' });
  });

  it('reduces the offset to the pool, wrapping past its end (negative and fractional offsets too)', () => {
    expect(allocateSubnet(undefined, [], 65535).subnet).toBe('10.255.255.0/24');
    expect(allocateSubnet(undefined, [], 65536 + 5).subnet).toBe('10.0.5.0/24');
    expect(allocateSubnet(undefined, [], -1).subnet).toBe('10.255.255.0/24');
    expect(allocateSubnet(undefined, [], 2 ** 32 - 1).subnet).toBe('10.255.255.0/24');
    expect(allocateSubnet(undefined, [net('last', '10.255.255.0/24')], 65535).subnet).toBe('10.0.1.0/24');
  });

  it('skips /24s that overlap existing subnets, whatever their size', () => {
    const existing = [net('a', '10.0.1.0/24'), net('b', '10.0.2.0/23'), net('c', '10.0.4.128/25'), net('far', '192.168.0.0/16')];
    expect(allocateSubnet(undefined, existing, 1)).toEqual({ subnet: '10.0.5.0/24', gateway: '10.0.5.1' });
    expect(allocateSubnet(undefined, [net('big', '10.0.0.0/9')], 7).subnet).toBe('10.128.0.0/24');
  });

  it('refuses when the pool is full', () => {
    expect(refusal(() => allocateSubnet(undefined, [net('all', '10.0.0.0/8')], 0))).toMatchObject({ code: 'unavailable', message: expect.stringContaining('no free /24 left in 10.0.0.0/8') });
  });

  it('gives a requested subnet that overlaps no other, wherever it lies', () => {
    expect(allocateSubnet('10.0.0.0/24', [], 9)).toEqual({ subnet: '10.0.0.0/24', gateway: '10.0.0.1' });
    expect(allocateSubnet('192.168.10.0/23', [net('a', '10.0.1.0/24')], 0)).toEqual({ subnet: '192.168.10.0/23', gateway: '192.168.10.1' });
  });

  it('refuses a requested subnet that overlaps another network, naming it', () => {
    for (const requested of ['10.1.0.0/16', '10.1.2.0/24', '10.0.0.0/8']) {
      const err = refusal(() => allocateSubnet(requested, [net('other', '10.9.9.0/24'), net('front', '10.1.2.0/24')], 0));
      expect(err).toMatchObject({ code: 'invalid', field: 'subnet' });
      expect(err.message).toMatch(/overlaps the subnet 10\.(1\.2|9\.9)\.0\/24 of network "(front|other)"/);
    }
    expect(refusal(() => allocateSubnet('10.1.0.0/16', [net('front', '10.1.2.0/24')], 0)).message).toBe('invalid subnet: 10.1.0.0/16 overlaps the subnet 10.1.2.0/24 of network "front"');
  });
});
