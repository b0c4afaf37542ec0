import { SLEEPER, TestCluster, WEB_SERVER, waitFor, type TestNode } from '../../helpers/cluster';
import { execIn, httpFrom } from '../../helpers/task-exec';

/** The IPv4 addresses busybox `nslookup NAME` prints for the name (not the server's own). */
function lookup(node: TestNode, service: string, name: string): string[] | undefined {
  const r = execIn(node, service, 'nslookup', '-type=a', name);
  if (r.code !== 0) return undefined;
  return [...r.out.matchAll(/^Address:\s*(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]).sort();
}

describe('service networks: names, virtual IPs and dnsrr across nodes', () => {
  const cluster = new TestCluster();
  const { manager } = cluster;
  let server: TestNode;
  let client: TestNode;
  /** Addresses on appnet of a service's running tasks. */
  const taskAddrs = async (service: string, network: string) =>
    (await manager.running(service)).flatMap((t) => t.networks?.filter((n) => n.networkId === network).map((n) => n.addr) ?? []).sort();

  beforeAll(async () => {
    await cluster.init('1s');
    server = await cluster.join('--advertise-addr', '127.0.0.2');
    client = await cluster.join('--advertise-addr', '127.0.0.3');
    await manager.ok('network', 'create', 'appnet');
    await manager.ok('network', 'create', 'othernet');
    const on = (node: TestNode) => ['--constraint', `node.id==${node.nodeId}`];
    await manager.ok('service', 'create', '--name', 'api', '--network', 'appnet', ...on(server), ...WEB_SERVER);
    await manager.ok('service', 'create', '--name', 'apirr', '--replicas', '2', '--endpoint-mode', 'dnsrr', '--network', 'appnet', ...on(server), ...WEB_SERVER);
    await manager.ok('service', 'create', '--name', 'client', '--network', 'appnet', ...on(client), ...SLEEPER);
    await manager.ok('service', 'create', '--name', 'outsider', '--network', 'othernet', ...on(client), ...SLEEPER);
  });
  afterAll(() => cluster.destroy());

  it('gives a vip service one stable address on its network, and its tasks addresses from the subnet', async () => {
    const { network } = await manager.api('NetworkInspect', { ref: 'appnet' });
    const { service } = await manager.api('ServiceInspect', { ref: 'api' });
    expect(service.endpoint.virtualIps).toEqual([{ networkId: network.id, addr: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) }]);
    expect((await taskAddrs('api', network.id))).toHaveLength(1);
    const rr = await manager.api('ServiceInspect', { ref: 'apirr' });
    expect(rr.service.endpoint.virtualIps ?? []).toEqual([]);
  });

  it('resolves a vip service by name to its virtual IP, and reaches it from a task on another node', async () => {
    const { network } = await manager.api('NetworkInspect', { ref: 'appnet' });
    const { service } = await manager.api('ServiceInspect', { ref: 'api' });
    const vip = service.endpoint.virtualIps![0].addr;
    const { value } = await waitFor('api to resolve', () => lookup(client, 'client', 'api'));
    expect(value).toEqual([vip]);
    const [task] = await manager.running('api');
    const { value: body } = await waitFor('api to answer by name', () => httpFrom(client, 'client', 'api'));
    expect(body).toBe(task.status.runtimeId!.slice(0, 12));
    expect(await taskAddrs('api', network.id)).toEqual(lookup(client, 'client', 'tasks.api'));
  });

  it('resolves a dnsrr service to its task addresses, and reaches it by name', async () => {
    const { network } = await manager.api('NetworkInspect', { ref: 'appnet' });
    const addrs = await taskAddrs('apirr', network.id);
    expect(addrs).toHaveLength(2);
    const { value } = await waitFor('apirr to resolve to both tasks', () => {
      const found = lookup(client, 'client', 'apirr');
      return found?.length === 2 ? found : undefined;
    });
    expect(value).toEqual(addrs);
    expect(lookup(client, 'client', 'tasks.apirr')).toEqual(addrs);
    const hostnames = new Set((await manager.running('apirr')).map((t) => t.status.runtimeId!.slice(0, 12)));
    const { value: body } = await waitFor('apirr to answer by name', () => httpFrom(client, 'client', 'apirr'));
    expect(hostnames).toContain(body);
  });

  it('does not resolve names of another network', async () => {
    await waitFor('the outsider to resolve nothing of appnet', () => lookup(client, 'outsider', 'api') === undefined);
    expect(lookup(client, 'outsider', 'apirr')).toBeUndefined();
    expect(lookup(client, 'outsider', 'tasks.api')).toBeUndefined();
    expect(httpFrom(client, 'outsider', 'api')).toBeUndefined();
    // It resolves the names of its own network.
    await waitFor('the outsider to resolve itself', () => lookup(client, 'outsider', 'outsider')?.length === 1);
  });

  it('refuses to remove a network in use, and removes it once no service uses it', async () => {
    const inUse = await manager.orch('network', 'rm', 'othernet');
    expect(inUse.code).not.toBe(0);
    expect(inUse.stderr).toMatch(/in use by service.*outsider/);
    await manager.ok('service', 'rm', 'outsider');
    await manager.ok('network', 'rm', 'othernet');
    expect((await manager.ok('network', 'ls')).split('\n').some((l) => /\bothernet\b/.test(l))).toBe(false);
  });
});
