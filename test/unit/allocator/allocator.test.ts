import pino from 'pino';
import { Allocator } from '../../../core/allocator/allocator';
import type { Network, Service, Task } from '../../../core/model/types';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { unstored } from '../orchestrator/fixtures';
import { makeNetService, makeNetTask, makeNetwork, type NetServiceOptions } from '../network/fixtures';

const silent = pino({ level: 'silent' });
const NOW = new Date('2026-02-03T04:05:06.000Z');

/** Polls `check` until it holds or `timeoutMs` passes; says whether it held. */
async function eventually(check: () => boolean, timeoutMs = 1000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

describe('Allocator (control loop on an in-memory store)', () => {
  let store: ReplicatedStore;
  let allocator: Allocator;

  beforeEach(async () => {
    store = new ReplicatedStore(new MemoryLog());
    await store.start();
    allocator = new Allocator(store, silent, () => NOW);
  });
  afterEach(() => allocator.stop());

  const run = async () => {
    allocator.start();
    await allocator.idle();
  };
  const service = (id: string) => store.view((r) => r.services.get(id)!);
  const task = (id: string) => store.view((r) => r.tasks.get(id)!);
  const addNetworks = (...networks: Network[]) => store.update((tx) => networks.forEach((n) => tx.networks.create(unstored(n))));
  const addService = (id: string, o: NetServiceOptions = {}) => store.update((tx) => tx.services.create(unstored(makeNetService(id, o))));
  /** New tasks of a stored service (as the orchestrator creates them: state NEW, no node, no addresses). */
  const addTasks = (serviceId: string, ...ids: string[]) =>
    store.update((tx) => {
      const s = tx.services.get(serviceId)!;
      for (const id of ids) tx.tasks.create(unstored(makeNetTask(s, id, { state: 'new', nodeId: undefined })));
    });
  const setService = (id: string, f: (s: Service) => Service) => store.update((tx) => tx.services.update(f(tx.services.get(id)!)));
  const setTask = (id: string, f: (t: Task) => Task) => store.update((tx) => tx.tasks.update(f(tx.tasks.get(id)!)));

  it('gives a vip-mode service a virtual IP on its network', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'));
    await addService('web', { networks: ['n1'] });
    await run();
    expect(service('web').endpoint.virtualIps).toEqual([{ networkId: 'n1', addr: '10.1.0.2' }]);
  });

  it('gives a service created while it runs a virtual IP on each of its networks, distinct across services', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'), makeNetwork('n2', '10.2.0.0/24'));
    await run();
    await addService('web', { networks: ['n1', 'n2'] });
    await allocator.idle();
    await addService('api', { networks: ['n2'] });
    await allocator.idle();
    expect(service('web').endpoint.virtualIps).toEqual([
      { networkId: 'n1', addr: '10.1.0.2' },
      { networkId: 'n2', addr: '10.2.0.2' },
    ]);
    expect(service('api').endpoint.virtualIps).toEqual([{ networkId: 'n2', addr: '10.2.0.3' }]);
  });

  it('gives a dnsrr service no virtual IP, and a service without networks nothing', async () => {
    await addNetworks(makeNetwork('n1'));
    await addService('db', { networks: ['n1'], mode: 'dnsrr' });
    await addService('plain');
    await run();
    expect(service('db').endpoint.virtualIps ?? []).toEqual([]);
    expect(service('plain').endpoint).toEqual({ mode: 'vip', ports: [] });
  });

  it('keeps the virtual IPs a service has', async () => {
    await addNetworks(makeNetwork('n1'));
    await addService('web', { networks: ['n1'], virtualIps: [{ networkId: 'n1', addr: '10.1.0.77' }] });
    const before = service('web').meta.version;
    await run();
    expect(service('web').endpoint.virtualIps).toEqual([{ networkId: 'n1', addr: '10.1.0.77' }]);
    expect(service('web').meta.version).toBe(before);
  });

  it('gives new tasks of a service on two networks one address on each, distinct across tasks, and moves them to PENDING', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'), makeNetwork('n2', '10.2.0.0/24'));
    await addService('web', { networks: ['n1', 'n2'] });
    await addTasks('web', 't1', 't2', 't3');
    await run();
    const vips = service('web').endpoint.virtualIps!.map((v) => v.addr);
    const tasks = ['t1', 't2', 't3'].map(task);
    for (const t of tasks) {
      expect(t.status).toEqual({ state: 'pending', timestamp: NOW.toISOString(), message: 'pending task scheduling' });
      expect(t.networks!.map((a) => a.networkId)).toEqual(['n1', 'n2']);
      expect(t.networks![0].addr).toMatch(/^10\.1\.0\.\d+$/);
      expect(t.networks![1].addr).toMatch(/^10\.2\.0\.\d+$/);
    }
    const all = [...vips, ...tasks.flatMap((t) => t.networks!.map((a) => a.addr))];
    expect(new Set(all).size).toBe(all.length);
    for (const addr of all) expect(addr).not.toMatch(/\.(0|1|255)$/);
  });

  it('allocates tasks created while it runs, without reusing addresses of live tasks', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'));
    await addService('web', { networks: ['n1'] });
    await run();
    await addTasks('web', 't1');
    await allocator.idle();
    await addTasks('web', 't2');
    await allocator.idle();
    expect([task('t1').networks, task('t2').networks]).toEqual([[{ networkId: 'n1', addr: '10.1.0.3' }], [{ networkId: 'n1', addr: '10.1.0.4' }]]);
  });

  it('moves new tasks of a service without networks to PENDING without addresses', async () => {
    await addService('plain');
    await addTasks('plain', 't1');
    await run();
    expect(task('t1').status.state).toBe('pending');
    expect(task('t1')).not.toHaveProperty('networks');
  });

  it('keeps the addresses a new task already has', async () => {
    await addNetworks(makeNetwork('n1'));
    await addService('web', { networks: ['n1'] });
    await store.update((tx) =>
      tx.tasks.create(unstored(makeNetTask(tx.services.get('web')!, 't1', { state: 'new', nodeId: undefined, networks: [{ networkId: 'n1', addr: '10.1.0.50' }] }))),
    );
    await run();
    expect(task('t1')).toMatchObject({ networks: [{ networkId: 'n1', addr: '10.1.0.50' }], status: { state: 'pending' } });
  });

  it('leaves tasks past NEW alone', async () => {
    await addNetworks(makeNetwork('n1'));
    await addService('web', { networks: ['n1'] });
    await store.update((tx) => tx.tasks.create(unstored(makeNetTask(tx.services.get('web')!, 't1', { state: 'assigned' }))));
    await run();
    expect(task('t1').status.state).toBe('assigned');
    expect(task('t1')).not.toHaveProperty('networks');
  });

  it('rejects a task whose network no longer exists, saying so', async () => {
    await addNetworks(makeNetwork('n1'));
    await addService('web', { networks: ['n1', 'gone'] });
    await addTasks('web', 't1');
    await run();
    expect(task('t1').status).toEqual({
      state: 'rejected',
      timestamp: NOW.toISOString(),
      message: 'allocating',
      err: 'network gone of service web no longer exists',
    });
    expect(task('t1')).not.toHaveProperty('networks');
    // The VIP on the network that exists is still given.
    expect(service('web').endpoint.virtualIps).toEqual([{ networkId: 'n1', addr: '10.1.0.2' }]);
  });

  it('rejects a task once its network is full, naming the network, and allocates the others', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/29', { name: 'small' }));
    await addService('web', { networks: ['n1'], mode: 'dnsrr' });
    await addTasks('web', 't1', 't2', 't3', 't4', 't5', 't6');
    await run();
    const states = ['t1', 't2', 't3', 't4', 't5', 't6'].map((id) => task(id).status.state);
    expect(states.filter((s) => s === 'pending')).toHaveLength(5);
    const rejected = ['t1', 't2', 't3', 't4', 't5', 't6'].map(task).filter((t) => t.status.state === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].status.err).toMatch(/network small has no free address left/);
  });

  it('reuses the addresses of tasks that have ended', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'));
    await addService('web', { networks: ['n1'] });
    await addTasks('web', 't1', 't2');
    await run();
    expect([task('t1').networks![0].addr, task('t2').networks![0].addr]).toEqual(['10.1.0.3', '10.1.0.4']);
    await setTask('t1', (t) => ({ ...t, status: { ...t.status, state: 'failed' } }));
    await setTask('t2', (t) => ({ ...t, status: { ...t.status, state: 'running' } }));
    await addTasks('web', 't3', 't4');
    await allocator.idle();
    expect([task('t3').networks![0].addr, task('t4').networks![0].addr].sort()).toEqual(['10.1.0.3', '10.1.0.5']);
  });

  it('takes back the virtual IP of a network a service leaves, and hands it out again', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'), makeNetwork('n2', '10.2.0.0/24'));
    await addService('web', { networks: ['n1', 'n2'] });
    await run();
    expect(service('web').endpoint.virtualIps).toHaveLength(2);
    // The spec leaves n2 but the endpoint still holds its VIP: the allocator drops it.
    await setService('web', (s) => ({ ...s, specVersion: 2, spec: { ...s.spec, networks: [{ target: 'n1' }] } }));
    await allocator.idle();
    expect(service('web').endpoint.virtualIps).toEqual([{ networkId: 'n1', addr: '10.1.0.2' }]);
    await addService('api', { networks: ['n2'] });
    await allocator.idle();
    expect(service('api').endpoint.virtualIps).toEqual([{ networkId: 'n2', addr: '10.2.0.2' }]);
  });

  it('drops every virtual IP of a service that leaves all its networks', async () => {
    await addNetworks(makeNetwork('n1'));
    await addService('web', { networks: ['n1'] });
    await run();
    await setService('web', (s) => ({ ...s, specVersion: 2, spec: { ...s.spec, networks: undefined } }));
    await allocator.idle();
    expect(service('web').endpoint.virtualIps).toEqual([]);
  });

  it('drops the virtual IPs of a service switched to dnsrr, and gives them back when it switches back', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'), makeNetwork('n2', '10.2.0.0/24'));
    await addService('web', { networks: ['n1', 'n2'] });
    await run();
    expect(service('web').endpoint.virtualIps).toHaveLength(2);
    await setService('web', (s) => ({ ...s, specVersion: 2, spec: { ...s.spec, endpoint: { ...s.spec.endpoint, mode: 'dnsrr' } }, endpoint: { ...s.endpoint, mode: 'dnsrr' } }));
    await allocator.idle();
    expect(service('web').endpoint.virtualIps).toEqual([]);
    await setService('web', (s) => ({ ...s, specVersion: 3, spec: { ...s.spec, endpoint: { ...s.spec.endpoint, mode: 'vip' } }, endpoint: { ...s.endpoint, mode: 'vip' } }));
    await allocator.idle();
    expect(service('web').endpoint.virtualIps).toEqual([
      { networkId: 'n1', addr: '10.1.0.2' },
      { networkId: 'n2', addr: '10.2.0.2' },
    ]);
  });

  it('does not hand a service’s VIP to a task, nor a live task’s address to a service', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/24'));
    await addService('db', { networks: ['n1'], mode: 'dnsrr' });
    await addTasks('db', 't1');
    await run();
    expect(task('t1').networks).toEqual([{ networkId: 'n1', addr: '10.1.0.2' }]);
    await addService('web', { networks: ['n1'] });
    await allocator.idle();
    expect(service('web').endpoint.virtualIps).toEqual([{ networkId: 'n1', addr: '10.1.0.3' }]);
    await addTasks('db', 't2');
    await allocator.idle();
    expect(task('t2').networks).toEqual([{ networkId: 'n1', addr: '10.1.0.4' }]);
  });

  it('allocates more new tasks than one write takes (batches), all distinct', async () => {
    await addNetworks(makeNetwork('n1', '10.1.0.0/22'));
    await addService('web', { networks: ['n1'], mode: 'dnsrr' });
    const ids = Array.from({ length: 450 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    await addTasks('web', ...ids);
    await run();
    const addrs = ids.map((id) => task(id).networks?.[0].addr);
    expect(addrs.every((a) => a !== undefined)).toBe(true);
    expect(new Set(addrs).size).toBe(450);
    expect(ids.every((id) => task(id).status.state === 'pending')).toBe(true);
  });

  it('is not blocked for every task by one service whose network has no address left for its VIP', async () => {
    // A /29 (the smallest subnet a network may have) has five usable addresses: five services take them.
    await addNetworks(makeNetwork('tiny', '10.9.0.0/29', { name: 'tiny' }));
    for (const id of ['s1', 's2', 's3', 's4', 's5']) await addService(id, { networks: ['tiny'] });
    await run();
    expect(['s1', 's2', 's3', 's4', 's5'].map((id) => service(id).endpoint.virtualIps![0].addr).sort()).toEqual(['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);

    await addService('second', { networks: ['tiny'] });
    await addService('plain');
    await addTasks('plain', 't1');
    // A service whose network is full gets no VIP; the pass goes on and allocates everyone else's tasks.
    const allocated = await eventually(() => task('t1').status.state === 'pending', 1000);
    expect(allocated).toBe(true);
  });
});
