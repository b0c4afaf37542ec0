import { convert, errorOf } from './helpers';

const NS = { 'com.docker.stack.namespace': 'app' };

describe('converting a stack', () => {
  it('creates only the networks its services join, named and labelled for the stack', () => {
    const stack = convert(`
services:
  web: {image: x, networks: [front, ext]}
  db: {image: y, networks: {back: {aliases: [database]}}}
  job: {image: z}
networks:
  front:
    driver: overlay
    attachable: true
    driver_opts: {mtu: "1400"}
    labels: [team=web]
    ipam: {driver: default, config: [{subnet: 10.20.0.0/24}]}
  back: {name: shared-back}
  ext: {external: true}
  unused: {}
`);
    expect(stack.networks).toEqual([
      { key: 'front', name: 'app_front', spec: { name: 'app_front', driver: 'overlay', labels: { team: 'web', ...NS }, attachable: true, subnet: '10.20.0.0/24', options: { mtu: '1400' } } },
      { key: 'ext', name: 'ext' },
      { key: 'back', name: 'shared-back', spec: { name: 'shared-back', driver: 'overlay', labels: NS, attachable: false } },
      { key: 'default', name: 'app_default', spec: { name: 'app_default', driver: 'overlay', labels: NS, attachable: false } },
    ]);
    expect(stack.services.map((s) => [s.name, s.networks])).toEqual([
      ['app_db', [{ target: 'shared-back', aliases: ['db', 'database'] }]],
      ['app_job', [{ target: 'app_default', aliases: ['job'] }]],
      ['app_web', [{ target: 'app_front', aliases: ['web'] }, { target: 'ext', aliases: ['web'] }]],
    ]);
  });

  it('lets the default network be customised or external', () => {
    const stack = convert('services:\n  web: {image: x}\nnetworks:\n  default: {external: {name: host-net}}\n');
    expect(stack.networks).toEqual([{ key: 'default', name: 'host-net' }]);
    expect(stack.services[0].networks).toEqual([{ target: 'host-net', aliases: ['web'] }]);
  });

  it.each([
    ['networks:\n  n: {external: true, driver: overlay}\n', 'invalid networks.n.external: an external network takes no other settings, got driver'],
    ['networks:\n  n: {ipam: {config: [{subnet: 10.0.0.0/33}]}}\n', 'invalid networks.n.ipam.config[0].subnet: "10.0.0.0/33" is not a subnet'],
    ['networks:\n  n: {ipam: {config: [{subnet: 10.1.0.0/24}, {subnet: 10.2.0.0/24}]}}\n', 'invalid networks.n.ipam.config[1]: orch gives a network one subnet'],
    ['networks:\n  n: {ipam: {driver: dhcp}}\n', 'invalid networks.n.ipam.driver: expected default, got "dhcp"'],
    ['networks:\n  n: {driver: Bad}\n', 'invalid networks.n.driver: "Bad" is not a driver name'],
    ['networks:\n  n: {attachable: maybe}\n', 'invalid networks.n.attachable: expected true or false, got "maybe"'],
    ['networks:\n  n: {external: yes}\n', 'invalid networks.n.external: expected true or false, got "yes"'],
  ])('%s', (networks, message) => {
    expect(errorOf(() => convert(`services:\n  web: {image: x, networks: [n]}\n${networks}`))).toContain(message);
  });

  it('refuses external volumes with settings', () => {
    expect(errorOf(() => convert('services:\n  web: {image: x, volumes: ["v:/v"]}\nvolumes:\n  v: {external: true, driver: local}\n'))).toBe('invalid volumes.v.external: an external volume takes no other settings, got driver');
  });
});
