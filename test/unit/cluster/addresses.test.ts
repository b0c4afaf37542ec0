import { clusterAddress, splitHostPort } from '../../../core/cluster/join';

describe('cluster addresses', () => {
  it('splits host:port, IPv6 in brackets included, and names what it expected otherwise', () => {
    expect(splitHostPort('127.0.0.1:2377')).toEqual({ host: '127.0.0.1', port: 2377 });
    expect(splitHostPort('[::1]:2377')).toEqual({ host: '::1', port: 2377 });
    expect(() => splitHostPort('127.0.0.1')).toThrow('"127.0.0.1" is not an address: expected HOST:PORT');
  });

  it('advertises the listen port with a bare advertise host, as swarm does, and keeps an explicit port', () => {
    expect(clusterAddress('127.0.0.1', '0.0.0.0:2377')).toBe('127.0.0.1:2377');
    expect(clusterAddress('10.0.0.5:4000', '0.0.0.0:2377')).toBe('10.0.0.5:4000');
    expect(clusterAddress('::1', '[::]:2377')).toBe('[::1]:2377');
    expect(clusterAddress('[::1]:99', '[::]:2377')).toBe('[::1]:99');
    expect(clusterAddress('manager-1.example', '0.0.0.0:2377')).toBe('manager-1.example:2377');
  });
});
