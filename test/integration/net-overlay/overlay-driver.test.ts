import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import type { Network } from '../../../core/model/types';
import { bridgeName, dockerNetworkName, OverlayDriver } from '../../../plugins/net-overlay';

jest.setTimeout(60_000);

const docker = new Docker();
const IMAGE = 'orch-test/busybox';
const third = 200 + (process.pid % 50);
const network: Network = {
  id: `ovl${randomBytes(8).toString('hex')}`,
  meta: { version: 1, createdAt: '', updatedAt: '' },
  spec: { name: 'ovltest', driver: 'overlay', labels: {}, attachable: false },
  subnet: `10.253.${third}.0/24`,
  gateway: `10.253.${third}.1`,
};
const at = (n: number) => `10.253.${third}.${n}`;
const driver = new OverlayDriver(docker, pino({ level: 'silent' }));
let container: Docker.Container | undefined;

/** The /32 addresses on the network's bridge. */
const bridgeAddrs = () => [...execFileSync('ip', ['-4', '-o', 'addr', 'show', 'dev', bridgeName(network)], { encoding: 'utf8' }).matchAll(/inet ([\d.]+)\/32/g)].map((m) => m[1]).sort();

beforeAll(() => {
  execFileSync('bash', [resolve(__dirname, '../../../scripts/build-test-image.sh'), IMAGE], { stdio: 'inherit' });
});

afterAll(async () => {
  await container?.remove({ force: true }).catch(() => undefined);
  await docker.getNetwork(dockerNetworkName(network)).remove().catch(() => undefined);
});

describe('the overlay network driver on a real engine', () => {
  it('makes the network once, with the cluster subnet, whoever asks', async () => {
    await driver.createNetwork(network);
    await driver.createNetwork(network);
    const info = await docker.getNetwork(dockerNetworkName(network)).inspect();
    expect(info.IPAM?.Config).toEqual([{ Subnet: network.subnet, Gateway: network.gateway }]);
    expect(info.Labels?.['orch.network.id']).toBe(network.id);
  });

  it('attaches a task at its allocated address', async () => {
    const attachment = await driver.attach({} as never, network, { networkId: network.id, addr: at(9) });
    expect(attachment).toEqual({ name: dockerNetworkName(network), ipv4Address: at(9) });
    container = await docker.createContainer({
      Image: IMAGE,
      Cmd: ['sleep', '1000'],
      HostConfig: { NetworkMode: attachment.name },
      NetworkingConfig: { EndpointsConfig: { [attachment.name]: { IPAMConfig: { IPv4Address: at(9) } } } },
    });
    await container.start();
    expect((await container.inspect()).NetworkSettings.Networks[attachment.name].IPAddress).toBe(at(9));
  });

  it('makes addresses local on the bridge, leaving one a container on this engine holds', async () => {
    const made = await driver.setAddresses(network, [at(2), at(9), at(30)]);
    expect([...made].sort()).toEqual([at(2), at(30)].sort());
    expect(bridgeAddrs()).toEqual([at(2), at(30)].sort());
    await driver.setAddresses(network, [at(30)]);
    expect(bridgeAddrs()).toEqual([at(30)]);
  });

  it('leaves a network in use in place, and removes it once unused', async () => {
    await driver.removeNetwork(network);
    await expect(docker.getNetwork(dockerNetworkName(network)).inspect()).resolves.toBeDefined();
    await container!.remove({ force: true });
    container = undefined;
    await driver.removeNetwork(network);
    await expect(docker.getNetwork(dockerNetworkName(network)).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await driver.removeNetwork(network);
  });
});
