import { buildNetworkSpec } from '../../../cli/commands/network';
import { UsageError } from '../../../cli/errors';
import { buildServiceSpec, flagOfField, parseNetworkFlag } from '../../../cli/service-flags';
import { networkRow } from '../../../cli/views/networks';
import type { Network } from '../../../core/model/types';

const build = (flags: { network?: string[]; endpointMode?: string; publish?: string[] }) => buildServiceSpec({ name: 'web', ...flags }, 'orch-test/busybox', []);

describe('service create --network', () => {
  it.each([
    ['front', { target: 'front' }],
    ['name=front', { target: 'front' }],
    ['name=front,alias=www,alias=web', { target: 'front', aliases: ['www', 'web'] }],
    ['alias=www,name=front', { target: 'front', aliases: ['www'] }],
  ])('reads %j', (text, expected) => expect(parseNetworkFlag(text)).toEqual(expected));

  it.each([
    ['', 'invalid --network: expected a network name, got an empty string'],
    ['alias=www', 'invalid --network: "alias=www" has no name: expected NAME or name=NAME[,alias=ALIAS]...'],
    ['name=a,name=b', 'invalid --network: "name=a,name=b" sets name twice'],
    ['name=a,driver-opt=x=y', 'invalid --network: unknown field "driver-opt" in "name=a,driver-opt=x=y"'],
    ['name=a,alias', 'invalid --network: "alias" in "name=a,alias" has no value'],
    ['name=', 'invalid --network: "name=" in "name=" has no value'],
    ['name=a,=b', 'invalid --network: "=b" is not KEY=VALUE: the key is empty'],
  ])('refuses %j', (text, message) => {
    expect(() => parseNetworkFlag(text)).toThrow(UsageError);
    expect(() => parseNetworkFlag(text)).toThrow(message);
  });

  it('puts the networks into the spec in order, and none without the flag', () => {
    expect(build({ network: ['front', 'name=back,alias=db'] }).networks).toEqual([{ target: 'front' }, { target: 'back', aliases: ['db'] }]);
    expect(build({})).not.toHaveProperty('networks');
  });

  it('names --network when the spec check refuses an attachment', () => {
    expect(() => build({ network: ['front', 'front'] })).toThrow('invalid --network: "front" names the same network as networks[0]');
    expect(() => build({ network: ['name=front,alias=bad alias'] })).toThrow('invalid --network: "bad alias" is not a valid alias');
  });
});

describe('service create --endpoint-mode', () => {
  it('sets dnsrr; vip is the default', () => {
    expect(build({ endpointMode: 'dnsrr', publish: ['mode=host,8080:80'] }).endpoint).toEqual({
      mode: 'dnsrr',
      ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'host' }],
    });
    expect(build({ endpointMode: 'vip' }).endpoint).toEqual({ ports: [] });
  });

  it('refuses other modes, and dnsrr with ingress ports, naming --endpoint-mode', () => {
    expect(() => build({ endpointMode: 'rr' })).toThrow('invalid --endpoint-mode: expected vip or dnsrr, got "rr"');
    expect(() => build({ endpointMode: 'dnsrr', publish: ['8080:80'] })).toThrow('invalid --endpoint-mode: dnsrr cannot be used with a port published in ingress mode');
  });

  it.each([
    ['networks[0].target', '--network'],
    ['endpoint.mode', '--endpoint-mode'],
    ['endpoint.ports[0].publishedPort', '--publish'],
  ])('maps %s to %s', (field, flag) => expect(flagOfField(field)).toBe(flag));
});

describe('network create flags', () => {
  it('builds the spec with the defaults', () => {
    expect(buildNetworkSpec('front', {})).toStrictEqual({ name: 'front', driver: 'overlay', labels: {}, attachable: false });
  });

  it('reads every flag', () => {
    expect(buildNetworkSpec('front', { driver: 'overlay', subnet: '10.9.0.0/16', attachable: true, label: ['team=a', 'edge'], opt: ['mtu=1400'] })).toStrictEqual({
      name: 'front',
      driver: 'overlay',
      labels: { team: 'a', edge: '' },
      attachable: true,
      subnet: '10.9.0.0/16',
      options: { mtu: '1400' },
    });
  });

  it.each([
    ['bad name', {}, 'invalid NAME: "bad name" is not a valid network name'],
    ['n', { subnet: '10.9.0.1/16' }, 'invalid --subnet: "10.9.0.1/16" is not a subnet: expected an IPv4 subnet in CIDR form'],
    ['n', { subnet: '10.9.0.0/31' }, 'invalid --subnet: "10.9.0.0/31" has a /31 prefix: expected a prefix from /8 to /29'],
    ['n', { driver: 'Bad' }, 'invalid --driver: "Bad" is not a driver name'],
    ['n', { label: ['=x'] }, 'invalid --label: "=x" is not KEY=VALUE: the key is empty'],
    ['n', { opt: ['=x'] }, 'invalid --opt: "=x" is not KEY=VALUE: the key is empty'],
  ])('refuses %j %j naming the flag', (name, flags, message) => {
    expect(() => buildNetworkSpec(name, flags)).toThrow(UsageError);
    expect(() => buildNetworkSpec(name, flags)).toThrow(message);
  });
});

describe('networkRow', () => {
  it('shows the short id, name, driver, swarm scope and subnet', () => {
    const network = { id: 'abcdefghijkl0123456789xyz', spec: { name: 'front', driver: 'overlay' }, subnet: '10.0.7.0/24' } as Network;
    expect(networkRow(network)).toEqual({ ID: 'abcdefghijkl', Name: 'front', Driver: 'overlay', Scope: 'swarm', Subnet: '10.0.7.0/24' });
  });
});
