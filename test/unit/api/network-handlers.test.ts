import { subnetOffset } from '../../../core/api/network-handlers';
import { allocateSubnet } from '../../../core/allocator/subnets';
import { CLUSTER_ID, serviceSpec, setup } from './network-fixtures';

describe('network handlers', () => {
  it('creates a network with the defaults and a /24 picked from the cluster offset', async () => {
    const { api, store } = await setup();
    const { network } = await api.NetworkCreate({ spec: { name: 'front' } });
    expect(network).toMatchObject({ spec: { name: 'front', driver: 'overlay', labels: {}, attachable: false }, ...allocateSubnet(undefined, [], subnetOffset(CLUSTER_ID)) });
    expect(network.id).toMatch(/^[0-9a-z]{25}$/);
    expect(store.view((r) => r.networks.byName('front'))).toEqual(network);
    const { network: second } = await api.NetworkCreate({ spec: { name: 'back' } });
    expect(second.subnet).not.toBe(network.subnet);
  });

  it('derives the subnet offset from the cluster id', () => {
    expect(subnetOffset('a')).toBe(subnetOffset('a'));
    expect(subnetOffset('a')).not.toBe(subnetOffset('b'));
    expect(subnetOffset(undefined)).toBe(0);
  });

  it('gives a requested subnet, and its gateway', async () => {
    const { api } = await setup();
    const { network } = await api.NetworkCreate({ spec: { name: 'db', subnet: '172.20.0.0/16', attachable: true, options: { mtu: '1400' } } });
    expect(network).toMatchObject({ subnet: '172.20.0.0/16', gateway: '172.20.0.1', spec: { attachable: true, options: { mtu: '1400' } } });
  });

  it('refuses bad specs, taken names and overlapping subnets, naming the field and writing nothing', async () => {
    const { api, refused } = await setup();
    await api.NetworkCreate({ spec: { name: 'front', subnet: '10.5.0.0/16' } });
    expect(await refused(api.NetworkCreate({ spec: { name: 'front' } }))).toMatchObject({ code: 'conflict', field: 'name', message: 'a network named "front" already exists' });
    expect(await refused(api.NetworkCreate({ spec: { name: 'other', subnet: '10.5.3.0/24' } }))).toMatchObject({
      code: 'invalid',
      field: 'subnet',
      message: 'invalid subnet: 10.5.3.0/24 overlaps the subnet 10.5.0.0/16 of network "front"',
    });
    expect(await refused(api.NetworkCreate({ spec: { name: 'x', subnet: '10.5.0.1/16' } }))).toMatchObject({ code: 'invalid', field: 'subnet' });
    expect(await refused(api.NetworkCreate({ spec: { name: 'bad name' } }))).toMatchObject({ code: 'invalid', field: 'name' });
    expect(await refused(api.NetworkCreate({}))).toMatchObject({ code: 'invalid', field: 'spec' });
  });

  it('lists networks sorted by name, filtered by name substring, id prefix and driver', async () => {
    const { api } = await setup();
    const web = (await api.NetworkCreate({ spec: { name: 'web-net' } })).network;
    await api.NetworkCreate({ spec: { name: 'app', driver: 'bridge' } });
    await api.NetworkCreate({ spec: { name: 'db-net' } });
    const names = async (filters?: object) => (await api.NetworkList({ filters })).networks.map((n) => n.spec.name);
    expect(await names()).toEqual(['app', 'db-net', 'web-net']);
    expect(await names({ name: ['net'] })).toEqual(['db-net', 'web-net']);
    expect(await names({ id: [web.id.slice(0, 6)] })).toEqual(['web-net']);
    expect(await names({ driver: ['bridge'] })).toEqual(['app']);
    expect(await names({ driver: ['overlay'], name: ['db'] })).toEqual(['db-net']);
    await expect(api.NetworkList({ filters: { name: 'x' } })).rejects.toMatchObject({ field: 'filters.name' });
  });

  it('inspects by name, id or id prefix, with the services attached', async () => {
    const { api } = await setup();
    const { network } = await api.NetworkCreate({ spec: { name: 'front' } });
    await api.NetworkCreate({ spec: { name: 'back' } });
    const { service } = await api.ServiceCreate({ spec: serviceSpec('web', { networks: [{ target: 'front' }] }) });
    for (const ref of ['front', network.id, network.id.slice(0, 5)]) {
      expect(await api.NetworkInspect({ ref })).toEqual({ network, services: [service.id] });
    }
    expect((await api.NetworkInspect({ ref: 'back' })).services).toEqual([]);
    await expect(api.NetworkInspect({ ref: 'nope' })).rejects.toMatchObject({ code: 'not-found', message: 'network nope not found' });
  });

  it('refuses to remove a network services use, naming them; removes it once they are gone', async () => {
    const { api, refused, store } = await setup();
    const { network } = await api.NetworkCreate({ spec: { name: 'front' } });
    await api.ServiceCreate({ spec: serviceSpec('web', { networks: [{ target: 'front' }] }) });
    await api.ServiceCreate({ spec: serviceSpec('api', { networks: [{ target: network.id }] }) });
    expect(await refused(api.NetworkRemove({ ref: 'front' }))).toMatchObject({ code: 'conflict', message: 'network front is in use by service(s) api, web' });
    await api.ServiceRemove({ ref: 'web' });
    await api.ServiceRemove({ ref: 'api' });
    expect(await api.NetworkRemove({ ref: 'front' })).toEqual({ id: network.id });
    expect(store.view((r) => r.networks.size)).toBe(0);
    await expect(api.NetworkRemove({ ref: 'front' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
