import type dgram from 'node:dgram';
import type { IngressMesh } from '../../../plugins/net-ingress';
import {
  HOSTS,
  allBound,
  exchange,
  freePort,
  ingress,
  isFree,
  newMesh,
  removed,
  service,
  tally,
  udpBackends,
  udpClient,
  waitFor,
  type Backends,
} from './helpers';

describe('IngressMesh over UDP (loopback)', () => {
  let backends: Backends<dgram.Socket>;
  let mesh: IngressMesh;
  let published: number;
  const clients: dgram.Socket[] = [];

  const route = (hosts: readonly string[]): void => mesh.update(service([ingress('udp', published, backends.port)], hosts));
  const stats = () => mesh.stats()[0];
  const client = async (): Promise<dgram.Socket> => {
    const socket = await udpClient();
    clients.push(socket);
    return socket;
  };
  /** Who answers a datagram from each of `count` new clients. */
  const answersOfNewClients = async (count: number): Promise<string[]> =>
    Promise.all(Array.from({ length: count }, async () => (await exchange(await client(), published, 'hi')).split(':')[0]));

  beforeEach(async () => {
    backends = await udpBackends();
    published = await freePort('udp');
    mesh = newMesh({ udpIdleTimeoutMs: 300 });
    route(HOSTS);
    await allBound(mesh);
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await mesh.close();
    await backends.close();
  });

  it('relays datagrams and replies, keeping each client on one backend', async () => {
    const socket = await client();
    const first = await exchange(socket, published, 'one');
    expect(first).toMatch(/^127\.0\.0\.\d:one$/);
    const backend = first.split(':')[0];
    for (const text of ['two', 'three']) expect(await exchange(socket, published, text)).toBe(`${backend}:${text}`);
    expect(stats()).toMatchObject({ connectionsTotal: 1, connectionsActive: 1, bytesIn: 11, bytesOut: 11 + 3 * backend.length + 3 });
  });

  it('spreads clients over every backend', async () => {
    expect(tally(await answersOfNewClients(9))).toEqual({ [HOSTS[0]]: 3, [HOSTS[1]]: 3, [HOSTS[2]]: 3 });
  });

  it('closes idle flows', async () => {
    await answersOfNewClients(3);
    expect(stats().connectionsActive).toBe(3);
    await waitFor(() => stats().connectionsActive === 0, 2000);
    expect(stats().connectionsTotal).toBe(3);
  });

  it('sends new flows only to the backends in the set', async () => {
    route([HOSTS[1]]);
    expect(await answersOfNewClients(4)).toEqual(Array(4).fill(HOSTS[1]));
  });

  it('moves a client off a backend that is gone once it answers "port unreachable"', async () => {
    route([HOSTS[0]]);
    const socket = await client();
    expect(await exchange(socket, published, 'a')).toBe(`${HOSTS[0]}:a`);
    await backends.close(HOSTS[0]);
    route([HOSTS[0], HOSTS[1]]);
    // The first datagram after the backend went away is lost (that is UDP); a retry is answered elsewhere.
    await exchange(socket, published, 'b', 200).catch(() => undefined);
    await waitFor(() => stats().connectionsFailed === 1);
    expect(await exchange(socket, published, 'c')).toBe(`${HOSTS[1]}:c`);
  });

  it('drops datagrams while there is no backend', async () => {
    route([]);
    await expect(exchange(await client(), published, 'lost', 200)).rejects.toThrow(/no reply/);
    expect(stats()).toMatchObject({ connectionsTotal: 0, connectionsFailed: 1 });
  });

  it('frees the port when the service is removed', async () => {
    await answersOfNewClients(2);
    mesh.update(removed());
    expect(mesh.ports()).toEqual([]);
    await waitFor(() => isFree(published, 'udp'));
  });

  it('serves TCP and UDP on the same port number side by side', async () => {
    const tcpPort = await freePort();
    mesh.update(service([ingress('udp', tcpPort, backends.port), ingress('tcp', tcpPort, backends.port)], HOSTS, 'svc2'));
    await allBound(mesh);
    expect(mesh.ports().filter((p) => p.serviceId === 'svc2').map((p) => p.protocol).sort()).toEqual(['tcp', 'udp']);
  });
});
