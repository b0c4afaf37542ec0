import { RouteTable, type RoutesTouched } from '../../../core/network/route-table';
import { binding, change, endpoint, makeNetwork, route, tcp } from './fixtures';

const sorted = (t: RoutesTouched) => ({ services: [...t.services].sort(), networks: [...t.networks].sort() });

describe('RouteTable.apply', () => {
  let table: RouteTable;
  beforeEach(() => {
    table = new RouteTable();
  });

  it('touches nothing for an empty change', () => {
    expect(sorted(table.apply(change()))).toEqual({ services: [], networks: [] });
  });

  it('keeps networks, and touches the networks it is given or loses', () => {
    expect(sorted(table.apply(change({ networks: [makeNetwork('n1'), makeNetwork('n2', '10.2.0.0/24')] })))).toEqual({ services: [], networks: ['n1', 'n2'] });
    expect(table.network('n1')).toMatchObject({ id: 'n1', gateway: '10.1.0.1' });
    expect(sorted(table.apply(change({ removedNetworks: ['n1'] })))).toEqual({ services: [], networks: ['n1'] });
    expect(table.network('n1')).toBeUndefined();
    expect(table.network('n2')).toBeDefined();
  });

  it('touches a new service and its networks', () => {
    const touched = table.apply(change({ services: [route('web', { networks: ['n1', 'n2'] })] }));
    expect(sorted(touched)).toEqual({ services: ['web'], networks: ['n1', 'n2'] });
  });

  it('touches the networks a service leaves as well as those it joins', () => {
    table.apply(change({ services: [route('web', { networks: ['n1', 'n2'] })] }));
    expect(sorted(table.apply(change({ services: [route('web', { networks: ['n2', 'n3'] })] })))).toEqual({ services: ['web'], networks: ['n1', 'n2', 'n3'] });
  });

  it('touches a removed service and the networks it was on', () => {
    table.apply(change({ services: [route('web', { networks: ['n1'] }), route('api', { networks: ['n2'] })] }));
    expect(sorted(table.apply(change({ removedServices: ['web'] })))).toEqual({ services: ['web'], networks: ['n1'] });
    expect(table.networkServices('n1')).toEqual([]);
    expect(table.serviceEndpoints('web')).toEqual({ serviceId: 'web', serviceName: '', ports: [], endpoints: [] });
  });

  it('touches a service whose endpoints changed, and its networks', () => {
    table.apply(change({ services: [route('web', { networks: ['n1', 'n2'] }), route('api', { networks: ['n3'] })] }));
    const added = table.apply(change({ endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.3' } })] }));
    expect(sorted(added)).toEqual({ services: ['web'], networks: ['n1', 'n2'] });
    const changed = table.apply(change({ endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.3' }, ports: [binding(80, 32768)] })] }));
    expect(sorted(changed)).toEqual({ services: ['web'], networks: ['n1', 'n2'] });
    const removed = table.apply(change({ removedEndpoints: ['t1'] }));
    expect(sorted(removed)).toEqual({ services: ['web'], networks: ['n1', 'n2'] });
  });

  it('ignores the removal of an endpoint it does not have', () => {
    table.apply(change({ services: [route('web', { networks: ['n1'] })] }));
    expect(sorted(table.apply(change({ removedEndpoints: ['nope'] })))).toEqual({ services: [], networks: [] });
  });

  it('touches an endpoint’s service even when the service is not (yet) known', () => {
    expect(sorted(table.apply(change({ endpoints: [endpoint('t1', 'ghost', { ports: [binding(80, 32768)] })] })))).toEqual({ services: ['ghost'], networks: [] });
    expect(table.endpointsOf('ghost').map((e) => e.taskId)).toEqual(['t1']);
  });

  it('replaces everything on a complete change, touching what was there and what now is', () => {
    table.apply(
      change({
        networks: [makeNetwork('n1'), makeNetwork('n2', '10.2.0.0/24')],
        services: [route('web', { networks: ['n1'] }), route('old', { networks: ['n2'] })],
        endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.3' } }), endpoint('t9', 'orphan', { ports: [binding(80, 1)] })],
      }),
    );
    const touched = table.apply(
      change({
        full: true,
        networks: [makeNetwork('n1'), makeNetwork('n3', '10.3.0.0/24')],
        services: [route('web', { networks: ['n1'] }), route('new', { networks: ['n3'] })],
        endpoints: [endpoint('t2', 'new', { networks: { n3: '10.3.0.3' } })],
      }),
    );
    expect(sorted(touched)).toEqual({ services: ['new', 'old', 'orphan', 'web'], networks: ['n1', 'n2', 'n3'] });
    expect(table.network('n2')).toBeUndefined();
    expect(table.endpointsOf('web')).toEqual([]);
    expect(table.endpointsOf('orphan')).toEqual([]);
    expect(table.endpointsOf('new').map((e) => e.taskId)).toEqual(['t2']);
    expect(table.networkServices('n2')).toEqual([]);
    expect(table.serviceEndpoints('old')).toEqual({ serviceId: 'old', serviceName: '', ports: [], endpoints: [] });
  });

  it('lists a service’s endpoints by task id', () => {
    table.apply(change({ services: [route('web', { networks: ['n1'] })] }));
    table.apply(change({ endpoints: ['t3', 't1', 't2'].map((id) => endpoint(id, 'web', { networks: { n1: '10.1.0.3' } })) }));
    expect(table.endpointsOf('web').map((e) => e.taskId)).toEqual(['t1', 't2', 't3']);
    table.apply(change({ removedEndpoints: ['t2'] }));
    expect(table.endpointsOf('web').map((e) => e.taskId)).toEqual(['t1', 't3']);
  });
});

describe('RouteTable.serviceEndpoints', () => {
  it('gives a service’s name, allocated ports and running endpoints', () => {
    const table = new RouteTable();
    table.apply(change({ services: [route('s1', { name: 'web', ports: [tcp(80, 30001)] })] }));
    table.apply(change({ endpoints: [endpoint('t2', 's1', { addr: '172.17.0.2' }), endpoint('t1', 's1', { addr: '172.17.0.3' })] }));
    expect(table.serviceEndpoints('s1')).toEqual({
      serviceId: 's1',
      serviceName: 'web',
      ports: [tcp(80, 30001)],
      endpoints: [endpoint('t1', 's1', { addr: '172.17.0.3' }), endpoint('t2', 's1', { addr: '172.17.0.2' })],
    });
  });

  it('gives no ports and no endpoints for an unknown service, even if it has endpoints', () => {
    const table = new RouteTable();
    table.apply(change({ endpoints: [endpoint('t1', 's1', { addr: '172.17.0.3', ports: [binding(80, 1)] })] }));
    expect(table.serviceEndpoints('s1')).toEqual({ serviceId: 's1', serviceName: '', ports: [], endpoints: [] });
  });
});

describe('RouteTable.networkServices', () => {
  let table: RouteTable;
  beforeEach(() => {
    table = new RouteTable();
    table.apply(
      change({
        networks: [makeNetwork('n1'), makeNetwork('n2', '10.2.0.0/24')],
        services: [
          route('s-web', { name: 'web', networks: [{ networkId: 'n1', aliases: ['www'] }, 'n2'], vips: { n1: '10.1.0.2', n2: '10.2.0.2' }, ports: [tcp(80, 30001), tcp(443, 30002)] }),
          route('s-db', { name: 'db', mode: 'dnsrr', networks: ['n1'], vips: { n1: '10.1.0.9' } }),
          route('s-api', { name: 'api', networks: ['n2'], vips: { n2: '10.2.0.3' } }),
          route('s-cache', { name: 'cache', networks: ['n1'] }),
        ],
        endpoints: [
          endpoint('t1', 's-web', { networks: { n1: '10.1.0.10', n2: '10.2.0.10' }, ports: [binding(80, 32768), binding(8080, 32769), { ...binding(53, 32770), protocol: 'udp' }] }),
          endpoint('t2', 's-web', { networks: { n1: '10.1.0.11', n2: '10.2.0.11' }, ports: [binding(80, 32771)] }),
          endpoint('t3', 's-db', { networks: { n1: '10.1.0.12' } }),
        ],
      }),
    );
  });

  it('lists the services on a network sorted by name, with their aliases on it and their endpoints', () => {
    const services = table.networkServices('n1');
    expect(services.map((s) => s.name)).toEqual(['cache', 'db', 'web']);
    const web = services.find((s) => s.name === 'web')!;
    expect(web).toMatchObject({ serviceId: 's-web', aliases: ['www'], mode: 'vip', vip: '10.1.0.2' });
    expect(web.endpoints.map((e) => e.taskId)).toEqual(['t1', 't2']);
    expect(table.networkServices('n2').map((s) => [s.name, s.aliases])).toEqual([
      ['api', []],
      ['web', []],
    ]);
  });

  it('gives each service its VIP on that network, in vip mode only', () => {
    expect(table.networkServices('n2').find((s) => s.name === 'web')!.vip).toBe('10.2.0.2');
    const db = table.networkServices('n1').find((s) => s.name === 'db')!;
    expect(db.mode).toBe('dnsrr');
    expect(db).not.toHaveProperty('vip');
    expect(table.networkServices('n1').find((s) => s.name === 'cache')).not.toHaveProperty('vip');
  });

  it('serves on a VIP the service’s target ports and every port its endpoints expose, once each', () => {
    const web = table.networkServices('n1').find((s) => s.name === 'web')!;
    expect(web.targetPorts).toEqual([
      { protocol: 'tcp', targetPort: 80 },
      { protocol: 'tcp', targetPort: 443 },
      { protocol: 'tcp', targetPort: 8080 },
      { protocol: 'udp', targetPort: 53 },
    ]);
    expect(table.networkServices('n2').find((s) => s.name === 'api')!.targetPorts).toEqual([]);
  });

  it('is empty for an unknown network', () => {
    expect(table.networkServices('n9')).toEqual([]);
  });
});

describe('RouteTable.hasEndpointOn', () => {
  it('says whether a node runs an endpoint on a network', () => {
    const table = new RouteTable();
    table.apply(
      change({
        services: [route('web', { networks: ['n1', 'n2'] })],
        endpoints: [endpoint('t1', 'web', { nodeId: 'node1', networks: { n1: '10.1.0.3' } }), endpoint('t2', 'web', { nodeId: 'node2', networks: { n2: '10.2.0.3' } })],
      }),
    );
    expect(table.hasEndpointOn('n1', 'node1')).toBe(true);
    expect(table.hasEndpointOn('n2', 'node1')).toBe(false);
    expect(table.hasEndpointOn('n2', 'node2')).toBe(true);
    expect(table.hasEndpointOn('n1', 'node3')).toBe(false);
    table.apply(change({ removedEndpoints: ['t1'] }));
    expect(table.hasEndpointOn('n1', 'node1')).toBe(false);
  });
});

describe('RouteTable.resolve', () => {
  let table: RouteTable;
  const ask = (networkId: string, name: string, source = '10.9.9.9') => table.resolve({ networkId, name, source });

  beforeEach(() => {
    table = new RouteTable();
    table.apply(
      change({
        networks: [makeNetwork('front'), makeNetwork('back', '10.2.0.0/24'), makeNetwork('other', '10.3.0.0/24')],
        services: [
          route('s-web', { name: 'Web', networks: [{ networkId: 'front', aliases: ['WWW', 'site'] }, 'back'], vips: { front: '10.1.0.2', back: '10.2.0.2' } }),
          route('s-db', { name: 'db', mode: 'dnsrr', networks: [{ networkId: 'back', aliases: ['database'] }] }),
          route('s-idle', { name: 'idle', mode: 'dnsrr', networks: ['back'] }),
          route('s-secret', { name: 'secret', networks: ['other'], vips: { other: '10.3.0.2' } }),
          route('s-novip', { name: 'novip', networks: ['front'] }),
        ],
        endpoints: [
          endpoint('t-web1', 's-web', { networks: { front: '10.1.0.10', back: '10.2.0.10' } }),
          endpoint('t-web2', 's-web', { networks: { front: '10.1.0.11', back: '10.2.0.11' } }),
          endpoint('t-db1', 's-db', { networks: { back: '10.2.0.20' } }),
          endpoint('t-db2', 's-db', { networks: { back: '10.2.0.21' } }),
          endpoint('t-secret', 's-secret', { networks: { other: '10.3.0.10' } }),
          endpoint('t-novip', 's-novip', { networks: { front: '10.1.0.30' } }),
        ],
      }),
    );
  });

  it('answers a vip-mode service’s name with its VIP on the network asked', () => {
    expect(ask('front', 'web')).toEqual(['10.1.0.2']);
    expect(ask('back', 'web')).toEqual(['10.2.0.2']);
  });

  it('answers a dnsrr service’s name with its tasks’ addresses on that network', () => {
    expect(ask('back', 'db')).toEqual(['10.2.0.20', '10.2.0.21']);
  });

  it('answers tasks.<name> with the tasks’ addresses, in both modes', () => {
    expect(ask('front', 'tasks.web')).toEqual(['10.1.0.10', '10.1.0.11']);
    expect(ask('back', 'tasks.web')).toEqual(['10.2.0.10', '10.2.0.11']);
    expect(ask('back', 'tasks.db')).toEqual(['10.2.0.20', '10.2.0.21']);
  });

  it('answers aliases like names, on the network they are given on only', () => {
    expect(ask('front', 'www')).toEqual(['10.1.0.2']);
    expect(ask('front', 'site')).toEqual(['10.1.0.2']);
    expect(ask('front', 'tasks.site')).toEqual(['10.1.0.10', '10.1.0.11']);
    expect(ask('back', 'database')).toEqual(['10.2.0.20', '10.2.0.21']);
    expect(ask('back', 'www')).toBeUndefined();
  });

  it('matches names and aliases regardless of their case (queries come lower-case)', () => {
    expect(ask('front', 'web')).toEqual(['10.1.0.2']);
    expect(ask('front', 'www')).toEqual(['10.1.0.2']);
  });

  it('does not answer the name of a service on another network, or an unknown name', () => {
    expect(ask('front', 'secret')).toBeUndefined();
    expect(ask('front', 'tasks.secret')).toBeUndefined();
    expect(ask('front', 'db')).toBeUndefined();
    expect(ask('front', 'nothing')).toBeUndefined();
    expect(ask('front', 'tasks.')).toBeUndefined();
  });

  it('answers a known service with no running task in dnsrr mode with no addresses', () => {
    expect(ask('back', 'idle')).toEqual([]);
    expect(ask('back', 'tasks.idle')).toEqual([]);
  });

  it('falls back to task addresses for a vip-mode service that has no VIP yet', () => {
    expect(ask('front', 'novip')).toEqual(['10.1.0.30']);
  });

  it('lets a task on two networks resolve the names of both, whichever it asks on', () => {
    // t-web1 is on front and back: asking on front, it sees db (back only).
    expect(ask('front', 'db', '10.1.0.10')).toEqual(['10.2.0.20', '10.2.0.21']);
    expect(ask('front', 'web', '10.1.0.10')).toEqual(['10.1.0.2']);
    // Asked on back, names of front resolve too.
    expect(ask('back', 'novip', '10.2.0.10')).toEqual(['10.1.0.30']);
    // A task of db (back only) does not see front's names.
    expect(ask('back', 'novip', '10.2.0.20')).toBeUndefined();
  });

  it('lets a client that is not a known task see only the network it asked on', () => {
    expect(ask('front', 'db', '10.1.0.99')).toBeUndefined();
    // An address of a task on another network does not widen the scope.
    expect(ask('front', 'db', '10.2.0.10')).toBeUndefined();
  });

  it('forgets names of services once removed, and addresses of tasks once stopped', () => {
    table.apply(change({ removedEndpoints: ['t-db1'] }));
    expect(ask('back', 'db')).toEqual(['10.2.0.21']);
    table.apply(change({ removedServices: ['s-web'] }));
    expect(ask('front', 'web')).toBeUndefined();
  });
});

describe('RouteTable: endpoints that outlive their service', () => {
  it('touches the networks of an endpoint removed after its service was (whether a node serves a network depends on it)', () => {
    // A removed service's tasks are shut down by the orchestrator in a later write: the route table
    // first loses the service, then its endpoints. hasEndpointOn(n1, node1) turns false with the second
    // change, so n1 must be touched for the node to re-evaluate whether it still serves n1.
    const table = new RouteTable();
    table.apply(change({ networks: [makeNetwork('n1')], services: [route('web', { networks: ['n1'] })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.3' } })] }));
    table.apply(change({ removedServices: ['web'] }));
    expect(table.hasEndpointOn('n1', 'node1')).toBe(true);
    const touched = table.apply(change({ removedEndpoints: ['t1'] }));
    expect(table.hasEndpointOn('n1', 'node1')).toBe(false);
    // The endpoint's own networks are touched, so the agent re-checks whether it still serves n1.
    expect([...touched.networks]).toContain('n1');
  });
});
