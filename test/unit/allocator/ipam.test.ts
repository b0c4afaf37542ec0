import { OrchError } from '../../../core/errors';
import { AddressPools } from '../../../core/allocator/ipam';
import { makeNetwork } from '../network/fixtures';

describe('AddressPools', () => {
  it('hands out host addresses lowest first, skipping the network and gateway addresses', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/24'));
    expect(pools.has('n1')).toBe(true);
    expect([1, 2, 3].map(() => pools.allocate('n1'))).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4']);
  });

  it('never hands out the broadcast address, and fails with the network’s name once every address is taken', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/29', { name: 'tiny' }));
    const got = Array.from({ length: 5 }, () => pools.allocate('n1'));
    expect(got).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
    let err: unknown;
    try {
      pools.allocate('n1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OrchError);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as Error).message).toMatch(/network tiny has no free address left/);
    expect((err as Error).message).toContain('5');
  });

  it('skips reserved addresses and gives the lowest free one', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/24'));
    pools.reserve('n1', '10.1.0.2');
    pools.reserve('n1', '10.1.0.4');
    expect(pools.allocate('n1')).toBe('10.1.0.3');
    expect(pools.allocate('n1')).toBe('10.1.0.5');
  });

  it('skips a run of reserved addresses, and one reserved after allocations began', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/24'));
    for (const last of [3, 4, 5]) pools.reserve('n1', `10.1.0.${last}`);
    expect(pools.allocate('n1')).toBe('10.1.0.2');
    expect(pools.allocate('n1')).toBe('10.1.0.6');
    pools.reserve('n1', '10.1.0.7');
    expect(pools.allocate('n1')).toBe('10.1.0.8');
  });

  it('ignores reservations outside the usable range, of unknown networks, and of non-addresses', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/29'));
    for (const addr of ['10.1.0.0', '10.1.0.1', '10.1.0.7', '10.2.0.2', '10.1.0.999', 'nonsense', '']) pools.reserve('n1', addr);
    pools.reserve('n9', '10.1.0.2');
    expect(Array.from({ length: 5 }, () => pools.allocate('n1'))).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
  });

  it('keeps each network’s pool apart', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/24'));
    pools.add(makeNetwork('n2', '10.2.0.0/16'));
    pools.reserve('n1', '10.1.0.2');
    expect(pools.allocate('n2')).toBe('10.2.0.2');
    expect(pools.allocate('n1')).toBe('10.1.0.3');
    expect(pools.allocate('n2')).toBe('10.2.0.3');
  });

  it('keeps the pool it has when a network is added twice', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/24'));
    pools.allocate('n1');
    pools.add(makeNetwork('n1', '10.9.0.0/24'));
    expect(pools.allocate('n1')).toBe('10.1.0.3');
  });

  it('crosses octet boundaries in larger subnets', () => {
    const pools = new AddressPools();
    pools.add(makeNetwork('n1', '10.1.0.0/23'));
    for (let i = 2; i <= 255; i++) pools.reserve('n1', `10.1.0.${i}`);
    expect(pools.allocate('n1')).toBe('10.1.1.0');
    expect(pools.allocate('n1')).toBe('10.1.1.1');
  });

  it('refuses a network with an invalid subnet, naming it', () => {
    const pools = new AddressPools();
    expect(() => pools.add({ ...makeNetwork('n1'), subnet: '10.1.0.5/24' })).toThrow(/network net-n1 has an invalid subnet "10.1.0.5\/24"/);
    expect(pools.has('n1')).toBe(false);
  });

  it('fails with not-found for a network it has no pool of', () => {
    const pools = new AddressPools();
    expect(() => pools.allocate('n9')).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringContaining('n9') }));
    expect(pools.has('n9')).toBe(false);
  });
});
