import type dgram from 'node:dgram';
import type net from 'node:net';
import type { Endpoint, NetworkRoutes, NetworkService } from '../../../core/network/contract';
import type { Network, Protocol } from '../../../core/model/types';
import type { IngressMesh } from '../../../plugins/net-ingress';
import {
  HOSTS,
  allBound,
  exchangeAt,
  freePort,
  ingress,
  newMesh,
  refused,
  refusedAt,
  removed,
  request,
  requestAt,
  service,
  tally,
  tcpBackends,
  udpBackends,
  udpClient,
  waitFor,
  type Backends,
} from './helpers';

/** Virtual IPs: any 127.x.y.z address is local on Linux loopback. */
const VIP1 = '127.0.1.10';
const VIP2 = '127.0.1.11';
const VIP3 = '127.0.2.10';

const network = (id: string): Network => ({
  id,
  meta: { version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' },
  spec: { name: `net-${id}`, driver: 'overlay', labels: {}, attachable: false },
  subnet: '10.1.0.0/24',
  gateway: '10.1.0.1',
});

/** Endpoints of `serviceId` on this node (`node1`), one per address. */
const local = (serviceId: string, addrs: readonly string[]): Endpoint[] =>
  addrs.map((addr, i) => ({ taskId: `${serviceId}-t${i}`, serviceId, nodeId: 'node1', addr, ports: [], networks: [] }));

/** A service on a network, with its VIP (unless undefined) serving `ports`. */
const onNetwork = (serviceId: string, vip: string | undefined, ports: readonly [Protocol, number][], endpoints: readonly Endpoint[]): NetworkService => ({
  serviceId,
  name: `name-${serviceId}`,
  aliases: [],
  mode: vip === undefined ? 'dnsrr' : 'vip',
  ...(vip !== undefined && { vip }),
  targetPorts: ports.map(([protocol, targetPort]) => ({ protocol, targetPort })),
  endpoints,
});

const routes = (networkId: string, active: boolean, services: readonly NetworkService[], relayed: readonly string[] = []): NetworkRoutes => ({
  network: network(networkId),
  active,
  services,
  relayed,
});

describe('IngressMesh.updateNetwork: virtual IPs over TCP (loopback)', () => {
  let backends: Backends<net.Server>;
  let mesh: IngressMesh;
  let port: number;

  beforeEach(async () => {
    backends = await tcpBackends();
    port = backends.port;
    mesh = newMesh();
  });
  afterEach(async () => {
    await mesh.close();
    await backends.close();
  });

  const serveWeb = (hosts: readonly string[] = HOSTS) => mesh.updateNetwork(routes('n1', true, [onNetwork('web', VIP1, [['tcp', port]], local('web', hosts))]));
  const who = async (host: string, count: number) => {
    const answers: string[] = [];
    for (let i = 0; i < count; i++) answers.push((await requestAt(host, port)).split(' ')[0]);
    return tally(answers);
  };

  it('listens on each VIP at its target port while the node serves the network, and relays to the endpoints', async () => {
    serveWeb();
    await allBound(mesh);
    expect(mesh.ports()).toEqual([{ serviceId: 'web', host: VIP1, protocol: 'tcp', publishedPort: port, bound: true }]);
    const answers = await who(VIP1, 30);
    expect(Object.keys(answers).sort()).toEqual([...HOSTS]);
    expect(await requestAt(VIP1, port, 'hello')).toMatch(/^127\.0\.0\.[234] 5$/);
  });

  it('serves every service of the network on its own VIP, with its own endpoints', async () => {
    mesh.updateNetwork(
      routes('n1', true, [onNetwork('web', VIP1, [['tcp', port]], local('web', [HOSTS[0]])), onNetwork('api', VIP2, [['tcp', port]], local('api', [HOSTS[1], HOSTS[2]]))]),
    );
    await allBound(mesh);
    expect(await who(VIP1, 6)).toEqual({ [HOSTS[0]]: 6 });
    expect(Object.keys(await who(VIP2, 10)).sort()).toEqual([HOSTS[1], HOSTS[2]]);
  });

  it('does not listen for a service without a VIP (dnsrr), nor on an inactive network', async () => {
    mesh.updateNetwork(routes('n1', true, [onNetwork('db', undefined, [['tcp', port]], local('db', HOSTS))]));
    mesh.updateNetwork(routes('n2', false, [onNetwork('web', VIP2, [['tcp', port]], local('web', HOSTS))]));
    expect(mesh.ports()).toEqual([]);
    expect(await refusedAt(VIP2, port)).toBe(true);
    expect(mesh.stats()).toEqual([]);
  });

  it('closes the VIPs of a network the node stops serving', async () => {
    serveWeb();
    await allBound(mesh);
    mesh.updateNetwork(routes('n1', false, [onNetwork('web', VIP1, [['tcp', port]], local('web', HOSTS))]));
    expect(mesh.ports()).toEqual([]);
    await waitFor(() => refusedAt(VIP1, port));
  });

  it('closes the VIPs of a network that disappears (inactive, no services)', async () => {
    serveWeb();
    await allBound(mesh);
    mesh.updateNetwork(routes('n1', false, []));
    expect(mesh.ports()).toEqual([]);
    await waitFor(() => refusedAt(VIP1, port));
  });

  it('closes the VIP of a service that leaves the network, keeping the others', async () => {
    mesh.updateNetwork(routes('n1', true, [onNetwork('web', VIP1, [['tcp', port]], local('web', HOSTS)), onNetwork('api', VIP2, [['tcp', port]], local('api', HOSTS))]));
    await allBound(mesh);
    mesh.updateNetwork(routes('n1', true, [onNetwork('api', VIP2, [['tcp', port]], local('api', HOSTS))]));
    expect(mesh.ports().map((p) => p.host)).toEqual([VIP2]);
    await waitFor(() => refusedAt(VIP1, port));
    expect(await requestAt(VIP2, port)).toMatch(/^127\.0\.0\.[234] 4$/);
  });

  it('keeps each network’s VIPs apart: closing one network leaves another’s', async () => {
    serveWeb();
    mesh.updateNetwork(routes('n2', true, [onNetwork('web', VIP3, [['tcp', port]], local('web', HOSTS))]));
    await allBound(mesh);
    expect(mesh.ports().map((p) => p.host).sort()).toEqual([VIP1, VIP3]);
    mesh.updateNetwork(routes('n1', false, []));
    expect(mesh.ports().map((p) => p.host)).toEqual([VIP3]);
    expect(await requestAt(VIP3, port)).toMatch(/^127\.0\.0\.[234] 4$/);
  });

  it('opens and closes VIP ports as the target ports change', async () => {
    const other = await freePort();
    serveWeb();
    await allBound(mesh);
    mesh.updateNetwork(routes('n1', true, [onNetwork('web', VIP1, [['tcp', other]], local('web', HOSTS))]));
    await allBound(mesh);
    expect(mesh.ports().map((p) => p.publishedPort)).toEqual([other]);
    await waitFor(() => refusedAt(VIP1, port));
  });

  it('hands a VIP the new endpoints, from the network routes and from the service’s endpoint changes', async () => {
    serveWeb();
    await allBound(mesh);
    serveWeb([HOSTS[0]]);
    expect(await who(VIP1, 5)).toEqual({ [HOSTS[0]]: 5 });
    // The `ingress.endpoints` hook (service changes) reaches the VIP's backends too.
    mesh.update({ serviceId: 'web', serviceName: 'name-web', ports: [], endpoints: local('web', [HOSTS[2]]) });
    expect(await who(VIP1, 5)).toEqual({ [HOSTS[2]]: 5 });
  });

  it('relays to a task on another node through the port its node binds the target port on', async () => {
    const remote: Endpoint = {
      taskId: 'web-remote',
      serviceId: 'web',
      nodeId: 'node2',
      addr: '10.99.0.5',
      ports: [{ protocol: 'tcp', targetPort: port, hostIp: HOSTS[1], hostPort: port }],
      networks: [],
    };
    const unreachable: Endpoint = { ...remote, taskId: 'web-remote2', ports: [{ protocol: 'udp', targetPort: port, hostIp: HOSTS[2], hostPort: port }] };
    mesh.updateNetwork(routes('n1', true, [onNetwork('web', VIP1, [['tcp', port]], [remote, unreachable])]));
    await allBound(mesh);
    expect(await who(VIP1, 5)).toEqual({ [HOSTS[1]]: 5 });
  });

  it('relays the address of another node’s dnsrr task to that task alone, on each port it exposes, while it is relayed', async () => {
    const TASK_ADDR = '127.0.1.30';
    const remote = (taskId: string, host: string, addr: string): Endpoint => ({
      taskId,
      serviceId: 'db',
      nodeId: 'node2',
      ports: [{ protocol: 'tcp', targetPort: port, hostIp: host, hostPort: port }],
      networks: [{ networkId: 'n1', addr }],
    });
    const tasks = [remote('db-1', HOSTS[1], TASK_ADDR), remote('db-2', HOSTS[2], '127.0.1.31')];
    // Only db-1's address is relayed (db-2's is held by a task on this node's engine, say).
    mesh.updateNetwork(routes('n1', true, [onNetwork('db', undefined, [], tasks)], [TASK_ADDR]));
    await allBound(mesh);
    expect(mesh.ports().map((p) => `${p.host}:${p.publishedPort}`)).toEqual([`${TASK_ADDR}:${port}`]);
    expect(await who(TASK_ADDR, 4)).toEqual({ [HOSTS[1]]: 4 });
    mesh.updateNetwork(routes('n1', true, [onNetwork('db', undefined, [], tasks)], []));
    expect(mesh.ports()).toEqual([]);
  });

  it('counts a VIP’s traffic in its service’s stats, and keeps it once the VIP closes', async () => {
    serveWeb();
    await allBound(mesh);
    for (let i = 0; i < 3; i++) await requestAt(VIP1, port, 'abcd');
    await waitFor(() => mesh.stats()[0]?.connectionsActive === 0);
    const stats = mesh.stats();
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ serviceId: 'web', serviceName: 'name-web', connectionsTotal: 3, connectionsActive: 0, connectionsFailed: 0, bytesIn: 12 });
    expect(stats[0].bytesOut).toBeGreaterThan(0);
    mesh.updateNetwork(routes('n1', false, []));
    expect(mesh.stats()).toEqual(stats);
  });

  it('sums a service’s published ports and VIPs in its stats', async () => {
    const published = await freePort();
    mesh.update(service([ingress('tcp', published, port)], HOSTS, 'web'));
    serveWeb();
    await allBound(mesh);
    await request(published, 'ab');
    await requestAt(VIP1, port, 'abc');
    await waitFor(() => mesh.stats()[0]?.connectionsActive === 0);
    expect(mesh.stats()).toEqual([expect.objectContaining({ serviceId: 'web', connectionsTotal: 2, bytesIn: 5 })]);
  });

  it('keeps serving a VIP after the service’s published ports are withdrawn', async () => {
    const published = await freePort();
    mesh.update(service([ingress('tcp', published, port)], HOSTS, 'web'));
    serveWeb();
    await allBound(mesh);
    mesh.update({ serviceId: 'web', serviceName: 'name-web', ports: [], endpoints: local('web', HOSTS) });
    await waitFor(() => refused(published));
    expect(await requestAt(VIP1, port)).toMatch(/^127\.0\.0\.[234] 4$/);
  });

  it('resets clients of a VIP whose service has no endpoints', async () => {
    serveWeb([]);
    await allBound(mesh);
    await expect(requestAt(VIP1, port)).rejects.toThrow();
    await waitFor(() => mesh.stats()[0]?.connectionsFailed === 1);
  });

  it('ignores network routes after close', async () => {
    await mesh.close();
    serveWeb();
    expect(mesh.ports()).toEqual([]);
    expect(await refusedAt(VIP1, port)).toBe(true);
  });

  it('forgets a removed service once its VIP closes too (removal reaches the mesh before the network update)', async () => {
    // The network agent calls `ingress.endpoints` for a removed service at once and `network.routes` later:
    // in between, the VIP listener still runs, with no backend.
    serveWeb();
    await allBound(mesh);
    await requestAt(VIP1, port, 'abc');
    await waitFor(() => mesh.stats()[0]?.connectionsActive === 0);
    mesh.update(removed('web'));
    expect(mesh.ports().map((p) => p.host)).toEqual([VIP1]);
    await expect(requestAt(VIP1, port)).rejects.toThrow();
    mesh.updateNetwork(routes('n1', true, []));
    await waitFor(() => refusedAt(VIP1, port));
    expect(mesh.stats()).toEqual([]);
  });
});

describe('IngressMesh.updateNetwork: virtual IPs over UDP (loopback)', () => {
  let backends: Backends<dgram.Socket>;
  let mesh: IngressMesh;
  let client: dgram.Socket;

  beforeEach(async () => {
    backends = await udpBackends();
    mesh = newMesh();
    client = await udpClient();
  });
  afterEach(async () => {
    client.close();
    await mesh.close();
    await backends.close();
  });

  it('relays datagrams sent to a VIP to the service’s endpoints, and counts them', async () => {
    mesh.updateNetwork(routes('n1', true, [onNetwork('dns', VIP1, [['udp', backends.port]], local('dns', [HOSTS[1]]))]));
    await allBound(mesh);
    expect(mesh.ports()).toEqual([{ serviceId: 'dns', host: VIP1, protocol: 'udp', publishedPort: backends.port, bound: true }]);
    expect(await exchangeAt(client, VIP1, backends.port, 'q1')).toBe(`${HOSTS[1]}:q1`);
    expect(mesh.stats()).toEqual([expect.objectContaining({ serviceId: 'dns', connectionsTotal: 1, bytesIn: 2 })]);
  });

  it('serves TCP and UDP of the same target port on one VIP as two ports', async () => {
    mesh.updateNetwork(
      routes('n1', true, [
        onNetwork(
          'dns',
          VIP1,
          [
            ['udp', backends.port],
            ['tcp', backends.port],
          ],
          local('dns', [HOSTS[0]]),
        ),
      ]),
    );
    await allBound(mesh);
    expect(mesh.ports().map((p) => `${p.host}:${p.protocol}/${p.publishedPort}`).sort()).toEqual([`${VIP1}:tcp/${backends.port}`, `${VIP1}:udp/${backends.port}`]);
    expect(await exchangeAt(client, VIP1, backends.port, 'x')).toBe(`${HOSTS[0]}:x`);
  });
});

describe('IngressMesh: VIP ports next to published ports bound on every address (0.0.0.0)', () => {
  let backends: Backends<net.Server>;
  let mesh: IngressMesh;

  beforeEach(async () => {
    backends = await tcpBackends();
  });
  afterEach(async () => {
    await mesh.close();
    await backends.close();
  });

  it('serves both a published port P (on 0.0.0.0, the default) and a VIP whose target port is P', async () => {
    // `service create -p 8080:8080 --network n1 web`: the published port is bound on 0.0.0.0:8080 and the
    // VIP (a /32 on the network's bridge, in the same network namespace) on <vip>:8080. Linux refuses the
    // second bind with EADDRINUSE, so connections to the VIP arrive on the wildcard listener, which hands
    // them to the VIP's proxy.
    // The backends hold their own port on 127.0.0.x, so P is another one: the task runs on another node,
    // which binds P on HOSTS[0]:<backends' port>.
    const p = await freePort();
    const remote: Endpoint = { taskId: 'web-t0', serviceId: 'web', nodeId: 'node2', ports: [{ protocol: 'tcp', targetPort: p, hostIp: HOSTS[0], hostPort: backends.port }], networks: [] };
    mesh = newMesh({ bindAddress: '0.0.0.0' });
    mesh.update({ serviceId: 'web', serviceName: 'name-web', ports: [ingress('tcp', p, p)], endpoints: [remote] });
    await allBound(mesh);
    expect(await request(p)).toBe(`${HOSTS[0]} 4`);
    mesh.updateNetwork(routes('n1', true, [onNetwork('web', VIP1, [['tcp', p]], [remote])]));
    const bound = await waitFor(() => mesh.ports().every((s) => s.bound), 1500).then(
      () => true,
      () => false,
    );
    expect(mesh.ports().map((s) => `${s.host}:${s.publishedPort} bound=${s.bound}`).sort()).toEqual([`0.0.0.0:${p} bound=true`, `${VIP1}:${p} bound=true`].sort());
    expect(bound).toBe(true);
    expect(await requestAt(VIP1, p)).toBe(`${HOSTS[0]} 4`);
    expect(mesh.stats().find((st) => st.serviceId === 'web')?.connectionsTotal).toBe(2);
  });
});
