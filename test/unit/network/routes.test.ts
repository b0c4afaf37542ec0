import type { Service, Task } from '../../../core/model/types';
import { endpointOf, fullRoutes, routeChange, serviceRoute } from '../../../core/network/routes';
import type { RouteChange } from '../../../core/network/contract';
import type { ChangeEvent } from '../../../core/store/contract';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { unstored } from '../orchestrator/fixtures';
import { binding, created, deleted, makeNetService, makeNetTask, makeNetwork, tcp, updated } from './fixtures';

describe('serviceRoute', () => {
  it('is undefined for no service, and for one with neither published ports nor networks', () => {
    expect(serviceRoute(undefined)).toBeUndefined();
    expect(serviceRoute(makeNetService('s1'))).toBeUndefined();
  });

  it('describes a service on networks: name, mode, aliases per network and virtual IPs', () => {
    const s = makeNetService('s1', {
      name: 'web',
      networks: [{ target: 'n1', aliases: ['www', 'front'] }, 'n2'],
      virtualIps: [{ networkId: 'n1', addr: '10.1.0.2' }],
    });
    expect(serviceRoute(s)).toEqual({
      id: 's1',
      name: 'web',
      mode: 'vip',
      ports: [],
      networks: [
        { networkId: 'n1', aliases: ['www', 'front'] },
        { networkId: 'n2', aliases: [] },
      ],
      virtualIps: [{ networkId: 'n1', addr: '10.1.0.2' }],
    });
  });

  it('describes a service that only publishes ports, with its allocated ports and no networks or VIPs', () => {
    const s = makeNetService('s1', { ports: [tcp(80, 30001)] });
    expect(serviceRoute(s)).toEqual({ id: 's1', name: 's1', mode: 'vip', ports: [tcp(80, 30001)], networks: [], virtualIps: [] });
  });

  it('takes the mode from the allocated endpoint first, then from the spec, then defaults to vip', () => {
    const s = makeNetService('s1', { networks: ['n1'], mode: 'dnsrr' });
    expect(serviceRoute(s)!.mode).toBe('dnsrr');
    expect(serviceRoute({ ...s, endpoint: { ports: [] } })!.mode).toBe('dnsrr');
    expect(serviceRoute({ ...s, endpoint: { ports: [], mode: 'vip' } })!.mode).toBe('vip');
    const noMode = { ...s, spec: { ...s.spec, endpoint: { ports: [] } }, endpoint: { ports: [] } };
    expect(serviceRoute(noMode)!.mode).toBe('vip');
  });

  it('uses the allocated ports (published ports filled in), not the spec’s', () => {
    const s = makeNetService('s1', { ports: [tcp(80, 0)] });
    const allocated = { ...s, endpoint: { ...s.endpoint, ports: [tcp(80, 30005)] } };
    expect(serviceRoute(allocated)!.ports).toEqual([tcp(80, 30005)]);
  });
});

describe('endpointOf', () => {
  const svc = makeNetService('s1', { networks: ['n1'] });
  const onNet = { networks: [{ networkId: 'n1', addr: '10.1.0.5' }] };

  it('is the endpoint of a task desired and observed running on a node', () => {
    const t = makeNetTask(svc, 't1', { ...onNet, addr: '172.17.0.3', bindings: [binding(80, 32768)] });
    expect(endpointOf(t)).toEqual({
      taskId: 't1',
      serviceId: 's1',
      nodeId: 'node1',
      addr: '172.17.0.3',
      ports: [binding(80, 32768)],
      networks: [{ networkId: 'n1', addr: '10.1.0.5' }],
    });
  });

  it('leaves addr out when the task reported none, and ports empty when it bound none', () => {
    const e = endpointOf(makeNetTask(svc, 't1', onNet))!;
    expect(e).not.toHaveProperty('addr');
    expect(e.ports).toEqual([]);
  });

  it('is undefined for no task, a task not running, desired otherwise, or without a node', () => {
    expect(endpointOf(undefined)).toBeUndefined();
    expect(endpointOf(makeNetTask(svc, 't1', { ...onNet, state: 'starting' }))).toBeUndefined();
    expect(endpointOf(makeNetTask(svc, 't1', { ...onNet, state: 'complete' }))).toBeUndefined();
    expect(endpointOf(makeNetTask(svc, 't1', { ...onNet, desired: 'shutdown' }))).toBeUndefined();
    expect(endpointOf(makeNetTask(svc, 't1', { ...onNet, desired: 'ready' }))).toBeUndefined();
    expect(endpointOf(makeNetTask(svc, 't1', { ...onNet, nodeId: undefined }))).toBeUndefined();
  });

  it('is undefined for a running task the mesh cannot reach: no bindings, no networks, no ports', () => {
    expect(endpointOf(makeNetTask(svc, 't1', { addr: '172.17.0.3' }))).toBeUndefined();
  });

  it('is set for a task with only bindings, only networks, or only the service’s ports', () => {
    expect(endpointOf(makeNetTask(svc, 't1', { bindings: [binding(80, 32768)] }))).toBeDefined();
    expect(endpointOf(makeNetTask(svc, 't1', onNet))).toBeDefined();
    const withPorts = endpointOf(makeNetTask(svc, 't1', { ports: [tcp(80, 30001)] }))!;
    expect(withPorts).toMatchObject({ taskId: 't1', ports: [], networks: [] });
  });
});

describe('fullRoutes', () => {
  it('holds every routable service, every endpoint and every network of the store', async () => {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const n1 = makeNetwork('n1');
    const web = makeNetService('web', { networks: ['n1'], virtualIps: [{ networkId: 'n1', addr: '10.1.0.2' }] });
    const plain = makeNetService('plain');
    const published = makeNetService('pub', { ports: [tcp(80, 30001)] });
    const running = makeNetTask(web, 't1', { networks: [{ networkId: 'n1', addr: '10.1.0.3' }] });
    const starting = makeNetTask(web, 't2', { state: 'starting', networks: [{ networkId: 'n1', addr: '10.1.0.4' }] });
    const plainTask = makeNetTask(plain, 't3');
    await store.update((tx) => {
      tx.networks.create(unstored(n1));
      for (const s of [web, plain, published]) tx.services.create(unstored(s));
      for (const t of [running, starting, plainTask]) tx.tasks.create(unstored(t));
    });

    const full = store.view(fullRoutes);
    expect(full.full).toBe(true);
    expect(full.services.map((s) => s.id).sort()).toEqual(['pub', 'web']);
    expect(full.services.find((s) => s.id === 'web')!.virtualIps).toEqual([{ networkId: 'n1', addr: '10.1.0.2' }]);
    expect(full.endpoints.map((e) => e.taskId)).toEqual(['t1']);
    expect(full.networks.map((n) => n.id)).toEqual(['n1']);
    expect(full).toMatchObject({ removedServices: [], removedEndpoints: [], removedNetworks: [] });
  });

  it('is complete and empty for an empty store', async () => {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    expect(store.view(fullRoutes)).toEqual({ full: true, services: [], removedServices: [], endpoints: [], removedEndpoints: [], networks: [], removedNetworks: [] });
  });
});

describe('routeChange (events built by hand)', () => {
  const n1 = makeNetwork('n1');
  const web = makeNetService('web', { networks: ['n1'] });
  const onNet = { networks: [{ networkId: 'n1', addr: '10.1.0.5' }] };

  it('is undefined for no events, and for events that change no route', () => {
    expect(routeChange([])).toBeUndefined();
    const plain = makeNetService('plain');
    const other = makeNetService('other');
    expect(routeChange([created('services', plain), updated('services', plain, { ...plain, specVersion: 2 }), deleted('services', other)])).toBeUndefined();
    const starting = makeNetTask(web, 't1', { ...onNet, state: 'starting' });
    expect(routeChange([created('tasks', makeNetTask(web, 't1', { ...onNet, state: 'new' })), updated('tasks', starting, { ...starting, status: { ...starting.status, state: 'failed' } })])).toBeUndefined();
    expect(routeChange([created('nodes', { id: 'node1', meta: web.meta })])).toBeUndefined();
  });

  it('sends a created routable service', () => {
    expect(routeChange([created('services', web)])).toEqual({
      full: false,
      services: [serviceRoute(web)],
      removedServices: [],
      endpoints: [],
      removedEndpoints: [],
      networks: [],
      removedNetworks: [],
    });
  });

  it('sends an updated service only when its route changed', () => {
    const bumped = { ...web, specVersion: 2, spec: { ...web.spec, labels: { a: 'b' } } };
    expect(routeChange([updated('services', web, bumped)])).toBeUndefined();
    const withVip = { ...web, endpoint: { ...web.endpoint, virtualIps: [{ networkId: 'n1', addr: '10.1.0.2' }] } };
    expect(routeChange([updated('services', web, withVip)])!.services).toEqual([serviceRoute(withVip)]);
  });

  it('sends a service that becomes routable, and removes one that no longer is', () => {
    const plain = makeNetService('web');
    expect(routeChange([updated('services', plain, web)])).toMatchObject({ services: [serviceRoute(web)], removedServices: [] });
    expect(routeChange([updated('services', web, plain)])).toMatchObject({ services: [], removedServices: ['web'] });
  });

  it('removes a deleted routable service, and ignores a deleted one that was not routable', () => {
    expect(routeChange([deleted('services', web)])).toMatchObject({ services: [], removedServices: ['web'] });
    expect(routeChange([deleted('services', makeNetService('plain'))])).toBeUndefined();
  });

  it('sends a task that becomes running, and not again while its endpoint stays the same', () => {
    const starting = makeNetTask(web, 't1', { ...onNet, state: 'starting' });
    const running = makeNetTask(web, 't1', onNet);
    expect(routeChange([updated('tasks', starting, running)])).toMatchObject({ endpoints: [endpointOf(running)], removedEndpoints: [] });
    const sameEndpoint = { ...running, status: { ...running.status, message: 'still running', timestamp: '2026-01-02T00:00:00.000Z' } };
    expect(routeChange([updated('tasks', running, sameEndpoint)])).toBeUndefined();
    const moved = { ...running, status: { ...running.status, ports: [binding(80, 32769)] } };
    expect(routeChange([updated('tasks', running, moved)])!.endpoints).toEqual([endpointOf(moved)]);
  });

  it('sends a task created running', () => {
    const running = makeNetTask(web, 't1', onNet);
    expect(routeChange([created('tasks', running)])!.endpoints).toEqual([endpointOf(running)]);
  });

  it('removes the endpoint of a task asked to stop, of one that stopped, and of one deleted while running', () => {
    const running = makeNetTask(web, 't1', onNet);
    expect(routeChange([updated('tasks', running, { ...running, desiredState: 'shutdown' })])).toMatchObject({ endpoints: [], removedEndpoints: ['t1'] });
    expect(routeChange([updated('tasks', running, { ...running, status: { ...running.status, state: 'failed' } })])).toMatchObject({ removedEndpoints: ['t1'] });
    expect(routeChange([deleted('tasks', running)])).toMatchObject({ removedEndpoints: ['t1'] });
  });

  it('ignores the deletion of a task that had stopped', () => {
    const stopped = makeNetTask(web, 't1', { ...onNet, state: 'shutdown', desired: 'shutdown' });
    expect(routeChange([deleted('tasks', stopped)])).toBeUndefined();
  });

  it('sends created and updated networks, and removes deleted ones', () => {
    const renamed = { ...n1, spec: { ...n1.spec, labels: { x: 'y' } } };
    expect(routeChange([created('networks', n1)])).toMatchObject({ networks: [n1], removedNetworks: [] });
    expect(routeChange([updated('networks', n1, renamed)])).toMatchObject({ networks: [renamed] });
    expect(routeChange([deleted('networks', n1)])).toMatchObject({ networks: [], removedNetworks: ['n1'] });
  });

  it('gathers a batch of several tables in one change, in event order', () => {
    const api = makeNetService('api', { networks: ['n1'] });
    const t1 = makeNetTask(web, 't1', onNet);
    const t2 = makeNetTask(web, 't2', { networks: [{ networkId: 'n1', addr: '10.1.0.6' }] });
    const events: ChangeEvent[] = [created('networks', n1), created('services', web), created('services', api), created('tasks', t1), deleted('tasks', t2), deleted('networks', makeNetwork('n9'))];
    const c = routeChange(events)!;
    expect(c.full).toBe(false);
    expect(c.services.map((s) => s.id)).toEqual(['web', 'api']);
    expect(c.endpoints.map((e) => e.taskId)).toEqual(['t1']);
    expect(c.removedEndpoints).toEqual(['t2']);
    expect(c.networks.map((n) => n.id)).toEqual(['n1']);
    expect(c.removedNetworks).toEqual(['n9']);
  });
});

describe('routeChange on the changes a real store commits', () => {
  let store: ReplicatedStore;
  let changes: (RouteChange | undefined)[];

  beforeEach(async () => {
    store = new ReplicatedStore(new MemoryLog());
    await store.start();
    changes = [];
    store.watch((events) => changes.push(routeChange(events)));
  });

  const service = () => store.view((r) => r.services.get('web')!);
  const task = (id: string) => store.view((r) => r.tasks.get(id)!);
  const setTask = (id: string, f: (t: Task) => Task) => store.update((tx) => tx.tasks.update(f(tx.tasks.get(id)!)));
  const setService = (f: (s: Service) => Service) => store.update((tx) => tx.services.update(f(tx.services.get('web')!)));

  it('follows a service and its task through their lives', async () => {
    const web = makeNetService('web', { networks: ['n1'] });
    await store.update((tx) => {
      tx.networks.create(unstored(makeNetwork('n1')));
      tx.services.create(unstored(web));
    });
    expect(changes.pop()).toMatchObject({ full: false, services: [{ id: 'web', networks: [{ networkId: 'n1' }] }], networks: [{ id: 'n1' }] });

    await store.update((tx) => tx.tasks.create(unstored(makeNetTask(web, 't1', { state: 'new' }))));
    expect(changes.pop()).toBeUndefined();

    await setTask('t1', (t) => ({ ...t, networks: [{ networkId: 'n1', addr: '10.1.0.3' }], status: { ...t.status, state: 'running' } }));
    expect(changes.pop()).toMatchObject({ endpoints: [{ taskId: 't1', networks: [{ networkId: 'n1', addr: '10.1.0.3' }] }] });

    await setTask('t1', (t) => ({ ...t, status: { ...t.status, message: 'healthy' } }));
    expect(changes.pop()).toBeUndefined();

    await setService((s) => ({ ...s, endpoint: { ...s.endpoint, virtualIps: [{ networkId: 'n1', addr: '10.1.0.2' }] } }));
    expect(changes.pop()).toMatchObject({ services: [{ id: 'web', virtualIps: [{ networkId: 'n1', addr: '10.1.0.2' }] }], endpoints: [] });

    await setTask('t1', (t) => ({ ...t, desiredState: 'shutdown' }));
    expect(changes.pop()).toMatchObject({ removedEndpoints: ['t1'], endpoints: [] });

    await setService((s) => ({ ...s, spec: { ...s.spec, networks: undefined }, endpoint: { ...s.endpoint, virtualIps: [] } }));
    expect(changes.pop()).toMatchObject({ services: [], removedServices: ['web'] });

    expect(service().spec.networks).toBeUndefined();
    expect(task('t1').desiredState).toBe('shutdown');
    await store.update((tx) => {
      tx.tasks.delete('t1');
      tx.services.delete('web');
      tx.networks.delete('n1');
    });
    expect(changes.pop()).toMatchObject({ removedServices: [], removedEndpoints: [], removedNetworks: ['n1'] });
  });
});
