import type Docker from 'dockerode';
import type { Network } from '../../../core/model/types';
import { testKernel } from '../../../core/testing/plugin-harness';
import { Tokens } from '../../../core/tokens';
import servicesOnly, { ServicesOnlyDriver, servicesOnlyNames } from '.';

const net: Network = {
  id: 'abcdefghijklmnopqrstuvwxy',
  meta: { version: 1, createdAt: '', updatedAt: '' },
  spec: { name: 'back', driver: 'services-only', labels: {}, attachable: false },
  subnet: '10.9.0.0/24',
  gateway: '10.9.0.1',
};

/** A Docker engine double recording the networks asked for. */
function fakeDocker(failWith?: number) {
  const created: object[] = [];
  const docker = {
    createNetwork: async (o: object) => {
      if (failWith) throw Object.assign(new Error('engine says no'), { statusCode: failWith });
      created.push(o);
    },
  } as unknown as Docker;
  return { docker, created };
}

describe('net-services-only', () => {
  it('makes each cluster network a Docker bridge with the cluster subnet and inter-container traffic off', async () => {
    const { docker, created } = fakeDocker();
    await new ServicesOnlyDriver(docker).createNetwork(net);
    expect(created).toEqual([
      expect.objectContaining({
        Name: 'svc-back-abcdefgh',
        IPAM: { Driver: 'default', Config: [{ Subnet: '10.9.0.0/24', Gateway: '10.9.0.1' }] },
        Options: { 'com.docker.network.bridge.name': 'svc-abcdefghijk', 'com.docker.network.bridge.enable_icc': 'false' },
      }),
    ]);
    expect(servicesOnlyNames(net).bridge.length).toBeLessThanOrEqual(15);
  });

  it('attaches a task with its allocated address; a network that exists already is fine, other refusals are not', async () => {
    const driver = new ServicesOnlyDriver(fakeDocker(409).docker);
    await driver.createNetwork(net);
    expect(await driver.attach({} as never, net, { networkId: net.id, addr: '10.9.0.7' })).toEqual({ name: 'svc-back-abcdefgh', ipv4Address: '10.9.0.7' });
    await expect(new ServicesOnlyDriver(fakeDocker(500).docker).createNetwork(net)).rejects.toThrow('cannot create services-only network back: engine says no');
  });

  it('provides a network driver named services-only, as its manifest says', async () => {
    const { resolve, loaded } = await testKernel(servicesOnly);
    expect(loaded).toEqual([{ name: 'net-services-only', version: '1.0.0', taps: [], provides: ['NetworkDriver'] }]);
    expect(resolve(Tokens.NetworkDriver).name).toBe('services-only');
  });
});
