import pino from 'pino';
import { Hooks, type ServiceEndpoints } from '../../../core/hooks';
import type { Network, Task, TaskNetworkAttachment } from '../../../core/model/types';
import type { NetworkDriver, NetworkRoutes } from '../../../core/network/contract';
import { NetworkAgent } from '../../../core/network/network-agent';
import type { RuntimeNetworkAttachment, TaskNetworkPlan } from '../../../core/runtime/contract';
import { change, endpoint, makeNetService, makeNetTask, makeNetwork, route, tcp } from './fixtures';

/** A driver that records its calls in a log shared with the hooks' taps. */
class FakeDriver implements NetworkDriver {
  /** Calls to fail, by method name: each failure is used once. */
  readonly failures = new Map<string, number>();
  /** Resolves `setAddresses` only after this many ms. */
  setAddressesDelayMs = 0;
  /** Addresses a container on "this engine" holds: setAddresses leaves them out. */
  readonly heldByEngine = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly log: string[],
    readonly name = 'overlay',
  ) {}

  private record(call: string, method: string): void {
    this.log.push(`${this.name}.${call}`);
    const left = this.failures.get(method) ?? 0;
    if (left > 0) {
      this.failures.set(method, left - 1);
      throw new Error(`${method} failed`);
    }
  }
  async createNetwork(n: Network): Promise<void> {
    this.record(`create ${n.id}`, 'createNetwork');
  }
  async removeNetwork(n: Network): Promise<void> {
    this.record(`remove ${n.id}`, 'removeNetwork');
  }
  async attach(task: Task, n: Network, a: TaskNetworkAttachment): Promise<RuntimeNetworkAttachment> {
    this.record(`attach ${task.id} ${n.id} ${a.addr}`, 'attach');
    return { name: `docker-${n.id}`, ipv4Address: a.addr };
  }
  async detach(task: Task, n: Network): Promise<void> {
    this.record(`detach ${task.id} ${n.id}`, 'detach');
  }
  async setAddresses(n: Network, addrs: readonly string[]): Promise<readonly string[]> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      this.record(`addrs ${n.id} [${addrs.join(',')}]`, 'setAddresses');
      if (this.setAddressesDelayMs > 0) await new Promise((r) => setTimeout(r, this.setAddressesDelayMs));
      return addrs.filter((a) => !this.heldByEngine.has(a));
    } finally {
      this.inFlight--;
    }
  }
}

const N1 = makeNetwork('n1', '10.1.0.0/24');
const N2 = makeNetwork('n2', '10.2.0.0/24');
const EMPTY_PLAN: TaskNetworkPlan = { networks: [], hostPorts: [], exposedPorts: [], dns: [] };

/** Lets queued network syncs (whose driver calls resolve at once) run. */
const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('NetworkAgent', () => {
  let log: string[];
  let driver: FakeDriver;
  let hooks: Hooks;
  let agent: NetworkAgent;
  let endpointsCalls: ServiceEndpoints[];
  let routesCalls: NetworkRoutes[];
  let warnings: unknown[];

  const newAgent = (drivers: NetworkDriver[] = [driver]) => {
    const logger = pino({ level: 'silent' });
    logger.warn = ((obj: unknown) => void warnings.push(obj)) as typeof logger.warn;
    return new NetworkAgent({ hooks, drivers, nodeId: 'node1', log: logger });
  };

  beforeEach(() => {
    log = [];
    warnings = [];
    driver = new FakeDriver(log);
    hooks = new Hooks();
    endpointsCalls = [];
    routesCalls = [];
    hooks.ingress.endpoints.tap('test', (e) => void endpointsCalls.push(e));
    hooks.network.routes.tap('test', (r) => {
      routesCalls.push(r);
      log.push(`routes ${r.network.id} active=${r.active} [${r.services.map((s) => `${s.name}${s.vip ? '@' + s.vip : ''}`).join(',')}]`);
    });
    agent = newAgent();
  });
  afterEach(() => agent.close());

  const webService = makeNetService('web', { networks: ['n1', 'n2'] });
  const webTask = (id: string, addrs: [string, string] = ['10.1.0.10', '10.2.0.10']) =>
    makeNetTask(webService, id, {
      state: 'preparing',
      networks: [
        { networkId: 'n1', addr: addrs[0] },
        { networkId: 'n2', addr: addrs[1] },
      ],
    });
  const attach = (task: Task, plan = EMPTY_PLAN) => hooks.network.attach.promise(plan, task);

  describe('apply', () => {
    it('tells the ingress.endpoints hook about every service a change touches', () => {
      agent.apply(change({ services: [route('s1', { name: 'web', ports: [tcp(80, 30001)] }), route('s2', { name: 'api', networks: ['n1'] })] }));
      expect(endpointsCalls.map((c) => c.serviceId).sort()).toEqual(['s1', 's2']);
      expect(endpointsCalls.find((c) => c.serviceId === 's1')).toEqual({ serviceId: 's1', serviceName: 'web', ports: [tcp(80, 30001)], endpoints: [] });

      endpointsCalls = [];
      agent.apply(change({ endpoints: [endpoint('t1', 's1', { addr: '172.17.0.2' })] }));
      expect(endpointsCalls).toEqual([{ serviceId: 's1', serviceName: 'web', ports: [tcp(80, 30001)], endpoints: [endpoint('t1', 's1', { addr: '172.17.0.2' })] }]);

      endpointsCalls = [];
      agent.apply(change({ removedServices: ['s1'] }));
      expect(endpointsCalls).toEqual([{ serviceId: 's1', serviceName: '', ports: [], endpoints: [] }]);
    });

    it('tells nothing for an empty change', async () => {
      agent.apply(change());
      await settle();
      expect(endpointsCalls).toEqual([]);
      expect(routesCalls).toEqual([]);
    });

    it('gives the routes of a network the node does not serve as inactive, without touching the driver', async () => {
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { nodeId: 'node2', networks: { n1: '10.1.0.3' } })] }));
      await settle();
      expect(log).toEqual(['routes n1 active=false [web@10.1.0.2]']);
      expect(routesCalls[0].services[0].endpoints.map((e) => e.taskId)).toEqual(['t1']);
    });

    it('serves a network on which a task of this node runs: makes the network, sets its VIPs, then tells the routes hook', async () => {
      agent.apply(
        change({
          networks: [N1],
          services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } }), route('api', { networks: ['n1'], vips: { n1: '10.1.0.3' } }), route('db', { mode: 'dnsrr', networks: ['n1'] })],
          endpoints: [endpoint('t1', 'db', { nodeId: 'node1', networks: { n1: '10.1.0.20' } })],
        }),
      );
      await settle();
      expect(log).toEqual(['overlay.create n1', 'overlay.addrs n1 [10.1.0.3,10.1.0.2]', 'routes n1 active=true [api@10.1.0.3,db,web@10.1.0.2]']);
    });

    it('relays the addresses of other nodes’ dnsrr tasks that the driver made local, and says which', async () => {
      driver.heldByEngine.add('10.1.0.22');
      agent.apply(
        change({
          networks: [N1],
          services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } }), route('db', { mode: 'dnsrr', networks: ['n1'] })],
          endpoints: [
            endpoint('t1', 'db', { nodeId: 'node1', networks: { n1: '10.1.0.20' } }),
            endpoint('t2', 'db', { nodeId: 'node2', networks: { n1: '10.1.0.21' } }),
            endpoint('t3', 'db', { nodeId: 'node3', networks: { n1: '10.1.0.22' } }),
            endpoint('t4', 'web', { nodeId: 'node2', networks: { n1: '10.1.0.23' } }),
          ],
        }),
      );
      await settle();
      expect(log).toContain('overlay.addrs n1 [10.1.0.2,10.1.0.21,10.1.0.22]');
      expect(routesCalls.at(-1)?.relayed).toEqual(['10.1.0.21']);
    });

    it('re-syncs a served network when its services change, without making it again', async () => {
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle();
      log.length = 0;
      agent.apply(change({ services: [route('api', { networks: ['n1'], vips: { n1: '10.1.0.3' } })] }));
      await settle();
      expect(log).toEqual(['overlay.addrs n1 [10.1.0.3,10.1.0.2]', 'routes n1 active=true [api@10.1.0.3,web@10.1.0.2]']);
    });

    it('stops serving a network once its last local endpoint goes (no task prepared here since start)', async () => {
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle();
      agent.apply(change({ removedEndpoints: ['t1'] }));
      await settle();
      expect(routesCalls.map((r) => r.active)).toEqual([true, false]);
    });

    it('retires a removed network: routes hook inactive with no services, then the driver removes it', async () => {
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle();
      log.length = 0;
      agent.apply(change({ removedNetworks: ['n1'] }));
      await settle();
      expect(log).toEqual(['routes n1 active=false []', 'overlay.remove n1']);
      expect(routesCalls.at(-1)).toEqual({ network: N1, active: false, services: [], relayed: [] });
    });

    it('retires a removed network it never made without asking the driver to remove it', async () => {
      agent.apply(change({ networks: [N1] }));
      await settle();
      log.length = 0;
      agent.apply(change({ removedNetworks: ['n1'] }));
      await settle();
      expect(log).toEqual(['routes n1 active=false []']);
    });

    it('removes every network it made when the node leaves, and only those', async () => {
      agent.apply(change({ networks: [N1, N2], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle();
      log.length = 0;
      await agent.removeAll();
      expect(log).toEqual(['routes n1 active=false []', 'overlay.remove n1']);
    });

    it('ignores the removal of a network it does not know', async () => {
      agent.apply(change({ removedNetworks: ['n9'] }));
      await settle();
      expect(log).toEqual([]);
    });

    it('retires a network that a complete change (after a reconnection) no longer holds', async () => {
      agent.apply(change({ full: true, networks: [N1, N2], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle();
      expect(log).toContain('overlay.create n1');
      log.length = 0;
      // n1 was removed while the node was disconnected: the complete state it gets has no n1.
      agent.apply(change({ full: true, networks: [N2] }));
      await settle();
      expect(log).toEqual(expect.arrayContaining(['routes n1 active=false []', 'overlay.remove n1']));
    });

    it('runs the syncs of one network one after the other, each on the table as it is then', async () => {
      driver.setAddressesDelayMs = 60;
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle(10); // the first sync is setting addresses
      agent.apply(change({ services: [route('api', { networks: ['n1'], vips: { n1: '10.1.0.3' } })] }));
      await settle(80); // the second sync (started once the first ended, ~60 ms) is setting addresses
      agent.apply(change({ removedServices: ['api'] }));
      await settle(200);
      expect(driver.maxInFlight).toBe(1);
      expect(log.filter((l) => l.startsWith('routes'))).toEqual([
        'routes n1 active=true [web@10.1.0.2]',
        'routes n1 active=true [api@10.1.0.3,web@10.1.0.2]',
        'routes n1 active=true [web@10.1.0.2]',
      ]);
    });

    it('waits on close for the syncs under way', async () => {
      driver.setAddressesDelayMs = 40;
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle(5);
      await agent.close();
      expect(driver.inFlight).toBe(0);
      expect(routesCalls).toHaveLength(1);
    });

    it('logs a sync that fails and carries on with the next', async () => {
      driver.failures.set('setAddresses', 1);
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.2' } })], endpoints: [endpoint('t1', 'web', { networks: { n1: '10.1.0.5' } })] }));
      await settle();
      expect(routesCalls).toEqual([]);
      expect(warnings).toEqual([{ network: 'n1', err: 'setAddresses failed' }]);
      agent.apply(change({ services: [route('web', { networks: ['n1'], vips: { n1: '10.1.0.7' } })] }));
      await settle();
      expect(routesCalls.map((r) => r.services.map((s) => s.vip))).toEqual([['10.1.0.7']]);
    });

    it('does nothing once closed', async () => {
      await agent.close();
      agent.apply(change({ networks: [N1], services: [route('web', { networks: ['n1'] })] }));
      await settle();
      expect(endpointsCalls).toEqual([]);
      expect(routesCalls).toEqual([]);
    });
  });

  describe('the network.attach tap', () => {
    beforeEach(async () => {
      agent.apply(change({ networks: [N1, N2], services: [route('web', { networks: ['n1', 'n2'], vips: { n1: '10.1.0.2', n2: '10.2.0.2' } })] }));
      await settle();
      log.length = 0;
      routesCalls = [];
    });

    it('joins a task to each of its networks and resolves names with the first network’s gateway', async () => {
      const base: TaskNetworkPlan = { ...EMPTY_PLAN, networks: [{ name: 'from-another-tap' }], dns: ['192.0.2.53'] };
      const plan = await attach(webTask('t1'), base);
      expect(plan).toEqual({
        ...base,
        networks: [{ name: 'from-another-tap' }, { name: 'docker-n1', ipv4Address: '10.1.0.10' }, { name: 'docker-n2', ipv4Address: '10.2.0.10' }],
        dns: ['192.0.2.53', '10.1.0.1'],
      });
      expect(log.filter((l) => l.startsWith('overlay.create') || l.startsWith('overlay.attach'))).toEqual([
        'overlay.create n1',
        'overlay.attach t1 n1 10.1.0.10',
        'overlay.create n2',
        'overlay.attach t1 n2 10.2.0.10',
      ]);
    });

    it('makes each network once, however many tasks join it', async () => {
      await attach(webTask('t1'));
      await attach(webTask('t2', ['10.1.0.11', '10.2.0.11']));
      await settle();
      expect(log.filter((l) => l.startsWith('overlay.create'))).toEqual(['overlay.create n1', 'overlay.create n2']);
      expect(log.filter((l) => l.startsWith('overlay.attach'))).toHaveLength(4);
    });

    it('starts serving the networks a task joins: their VIPs are set, then the routes hook says active', async () => {
      await attach(webTask('t1'));
      await settle();
      const n1 = log.indexOf('overlay.addrs n1 [10.1.0.2]');
      const n2 = log.indexOf('overlay.addrs n2 [10.2.0.2]');
      expect(n1).toBeGreaterThanOrEqual(0);
      expect(n2).toBeGreaterThanOrEqual(0);
      expect(log.indexOf('routes n1 active=true [web@10.1.0.2]')).toBeGreaterThan(n1);
      expect(log.indexOf('routes n2 active=true [web@10.2.0.2]')).toBeGreaterThan(n2);
      expect(routesCalls.every((r) => r.active)).toBe(true);
    });

    it('keeps serving a network a task joined, even with no local endpoint', async () => {
      await attach(webTask('t1'));
      await settle();
      routesCalls = [];
      agent.apply(change({ services: [route('web', { networks: ['n1', 'n2'], vips: { n1: '10.1.0.9', n2: '10.2.0.9' } })] }));
      await settle();
      expect(routesCalls.map((r) => [r.network.id, r.active]).sort()).toEqual([
        ['n1', true],
        ['n2', true],
      ]);
    });

    it('leaves the plan of a task without networks alone', async () => {
      const plain = makeNetTask(makeNetService('plain'), 't1', { state: 'preparing' });
      expect(await attach(plain, EMPTY_PLAN)).toEqual(EMPTY_PLAN);
      await settle();
      expect(log).toEqual([]);
    });

    it('refuses a task on a network the node does not know, naming it', async () => {
      const task = makeNetTask(webService, 't1', { state: 'preparing', networks: [{ networkId: 'gone', addr: '10.9.0.3' }] });
      await expect(attach(task)).rejects.toThrow('network gone is not known to this node (it may have been removed)');
      expect(log).toEqual([]);
    });

    it('refuses a task on a network whose driver this node lacks, naming the driver and those it has', async () => {
      const odd = makeNetwork('n3', '10.3.0.0/24', { name: 'oddnet', driver: 'macvlan' });
      agent.apply(change({ networks: [odd] }));
      await settle();
      const task = makeNetTask(webService, 't1', { state: 'preparing', networks: [{ networkId: 'n3', addr: '10.3.0.3' }] });
      await expect(attach(task)).rejects.toThrow('network driver "macvlan" of network oddnet is not available on this node (it has overlay)');
    });

    it('says "none" when the node has no network driver at all', async () => {
      await agent.close();
      hooks = new Hooks();
      agent = newAgent([]);
      agent.apply(change({ networks: [N1] }));
      await expect(attach(webTask('t1'))).rejects.toThrow('network driver "overlay" of network net-n1 is not available on this node (it has none)');
    });

    it('uses the driver each network names', async () => {
      const other = new FakeDriver(log, 'macvlan');
      await agent.close();
      hooks = new Hooks();
      agent = newAgent([driver, other]);
      const mac = makeNetwork('n3', '10.3.0.0/24', { driver: 'macvlan' });
      agent.apply(change({ networks: [N1, mac] }));
      const task = makeNetTask(webService, 't1', { state: 'preparing', networks: [{ networkId: 'n3', addr: '10.3.0.3' }, { networkId: 'n1', addr: '10.1.0.3' }] });
      const plan = await attach(task);
      expect(plan.dns).toEqual(['10.3.0.1']);
      expect(log).toEqual(expect.arrayContaining(['macvlan.create n3', 'macvlan.attach t1 n3 10.3.0.3', 'overlay.create n1', 'overlay.attach t1 n1 10.1.0.3']));
    });

    it('makes a network again on the next attach after making it failed', async () => {
      driver.failures.set('createNetwork', 1);
      await expect(attach(webTask('t1'))).rejects.toThrow('createNetwork failed');
      await attach(webTask('t2'));
      expect(log.filter((l) => l.startsWith('overlay.create n1'))).toHaveLength(2);
    });
  });

  describe('the network.detach tap', () => {
    it('disconnects a task from each of its networks the node knows', async () => {
      agent.apply(change({ networks: [N1] }));
      await settle();
      log.length = 0;
      await hooks.network.detach.promise(webTask('t1'));
      expect(log).toEqual(['overlay.detach t1 n1']);
    });
  });

  describe('the network.resolve tap', () => {
    beforeEach(() => {
      agent.apply(
        change({
          networks: [N1],
          services: [route('web', { networks: [{ networkId: 'n1', aliases: ['www'] }], vips: { n1: '10.1.0.2' } }), route('db', { mode: 'dnsrr', networks: ['n1'] })],
          endpoints: [endpoint('t1', 'db', { nodeId: 'node2', networks: { n1: '10.1.0.20' } })],
        }),
      );
    });

    it('answers service names, aliases and tasks.<name> on the network', () => {
      const ask = (name: string) => hooks.network.resolve.call({ networkId: 'n1', name, source: '10.1.0.50' });
      expect(ask('web')).toEqual(['10.1.0.2']);
      expect(ask('www')).toEqual(['10.1.0.2']);
      expect(ask('db')).toEqual(['10.1.0.20']);
      expect(ask('tasks.db')).toEqual(['10.1.0.20']);
      expect(ask('example.com')).toBeUndefined();
    });

    it('answers after taps of lower stages (a plugin’s own names win)', () => {
      hooks.network.resolve.tap({ name: 'plugin', stage: 0 }, (q) => (q.name === 'web' ? ['192.0.2.1'] : undefined));
      expect(hooks.network.resolve.call({ networkId: 'n1', name: 'web', source: '10.1.0.50' })).toEqual(['192.0.2.1']);
      expect(hooks.network.resolve.call({ networkId: 'n1', name: 'www', source: '10.1.0.50' })).toEqual(['10.1.0.2']);
    });
  });
});
