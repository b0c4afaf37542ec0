import * as net from 'node:net';
import pino from 'pino';
import { Kernel, orderPlugins, type KernelConfig } from '../../../core/kernel';
import type { Network } from '../../../core/model/types';
import type { LogStatus, ReplicatedLog } from '../../../core/store/replicated-log';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { Tokens } from '../../../core/tokens';
import metricsDefault, { metricsPrometheusPlugin } from '../../../plugins/metrics-prometheus';
import { IngressMeshToken, NetworkResolversToken, type IngressMesh, type NetworkResolvers, type ServiceStats } from '../../../plugins/net-ingress';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode } from '../../helpers/nodes';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';
import { freePort, get, sample } from './helpers';

const silent = pino({ level: 'silent' });
const base = { dataDir: '/nonexistent', nodeId: 'node1', advertiseAddr: '127.0.0.1', listenAddr: '127.0.0.1:0' } as const;

const RAFT: LogStatus = {
  memberId: 'node1',
  term: 7,
  leaderId: 'node1',
  isLeader: true,
  commitIndex: 42,
  appliedIndex: 41,
  members: [
    { id: 'node1', addr: 'a:1', reachable: true },
    { id: 'node2', addr: 'b:1', reachable: true },
    { id: 'node3', addr: 'c:1', reachable: false },
  ],
};

const WEB: ServiceStats = { serviceId: 'svc', serviceName: 'web', connectionsTotal: 3, connectionsActive: 1, connectionsFailed: 1, bytesIn: 100, bytesOut: 2000 };
const BACKEND = { id: 'net1', spec: { name: 'backend' } } as Network;

/** A kernel with the plugin and fakes around it: mesh and DNS stats, and on managers a store and a Raft status. */
async function kernelWith(config: Partial<KernelConfig> & Pick<KernelConfig, 'role'>): Promise<Kernel> {
  const kernel = new Kernel({ ...base, ...config }, silent);
  kernel.container.registerInstance(IngressMeshToken, { stats: () => [WEB] } as unknown as IngressMesh);
  kernel.container.registerInstance(NetworkResolversToken, { stats: () => ({ net1: { local: 4, forwarded: 2, failed: 1, malformed: 0 } }) } as unknown as NetworkResolvers);
  if (config.role === 'manager') {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const web = makeService();
    await store.update((tx) => {
      tx.nodes.create(unstored(makeNode('n1')));
      tx.nodes.create(unstored(makeNode('n2')));
      tx.nodes.create(unstored(makeNode('n3', { state: 'down' })));
      tx.services.create(unstored(web));
      tx.tasks.create(unstored(makeTask(web, 't1', { state: 'pending' })));
      tx.tasks.create(unstored(makeTask(web, 't2', { state: 'pending', desired: 'shutdown' })));
      tx.tasks.create(unstored(makeTask(web, 't3', { state: 'running', nodeId: 'n1' })));
    });
    kernel.container.registerInstance(Tokens.ClusterStore, store);
    kernel.container.registerInstance(Tokens.Consensus, { status: () => RAFT } as unknown as ReplicatedLog);
  }
  await kernel.use([metricsPrometheusPlugin]);
  return kernel;
}

describe('metrics-prometheus plugin', () => {
  const running: Kernel[] = [];
  /** Starts a kernel serving metrics on a free port; it is stopped after the test. */
  async function serving(role: 'manager' | 'worker'): Promise<{ kernel: Kernel; port: number }> {
    const port = await freePort();
    const kernel = await kernelWith({ role, metricsAddr: `127.0.0.1:${port}` });
    await kernel.lifecycle.start.promise();
    running.push(kernel);
    return { kernel, port };
  }
  afterEach(async () => {
    for (const k of running.splice(0)) await k.lifecycle.stop.promise();
  });

  it('is a valid plugin for this kernel, exported by default and by name', () => {
    expect(metricsDefault).toBe(metricsPrometheusPlugin);
    expect(metricsPrometheusPlugin).toMatchObject({ name: 'metrics-prometheus', version: '0.1.0', kernel: '^1.0' });
    expect(orderPlugins([metricsPrometheusPlugin])).toEqual([metricsPrometheusPlugin]);
  });

  it("serves a manager's Raft, node, scheduler, loop, mesh, DNS and process figures at /metrics", async () => {
    const { kernel, port } = await serving('manager');
    kernel.hooks.network.routes.call({ network: BACKEND, active: true, services: [], relayed: [] });
    kernel.hooks.loops.pass.call({ loop: 'scheduler', durationMs: 4, ok: true });
    kernel.hooks.loops.pass.call({ loop: 'scheduler', durationMs: 30, ok: false });
    kernel.hooks.loops.pass.call({ loop: 'allocator', durationMs: 1, ok: true });
    kernel.hooks.scheduler.decided.call({ placed: 3, durationMs: 2, pending: 4 });
    kernel.hooks.scheduler.decided.call({ placed: 2, durationMs: 1, pending: 1 });
    kernel.hooks.dispatcher.sessions.call(4);
    kernel.hooks.dispatcher.sessions.call(3);

    const res = await get(port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const figures: [string, number][] = [
      ['orch_raft_term', 7],
      ['orch_raft_commit_index', 42],
      ['orch_raft_applied_index', 41],
      ['orch_raft_is_leader', 1],
      ['orch_raft_members', 3],
      ['orch_raft_reachable_members', 2],
      ['orch_nodes{state="ready"}', 2],
      ['orch_nodes{state="down"}', 1],
      ['orch_nodes{state="disconnected"}', 0],
      ['orch_scheduler_pending_tasks', 1],
      ['orch_dispatcher_sessions', 3],
      ['orch_scheduler_tasks_placed_total', 5],
      ['orch_scheduler_decision_duration_seconds_count', 2],
      ['orch_control_loop_passes_total{loop="scheduler"}', 2],
      ['orch_control_loop_passes_total{loop="allocator"}', 1],
      ['orch_control_loop_failures_total{loop="scheduler"}', 1],
      ['orch_control_loop_pass_duration_seconds_count{loop="scheduler"}', 2],
      ['orch_control_loop_pass_duration_seconds_bucket{le="0.005",loop="scheduler"}', 1],
      ['orch_mesh_connections_total{service="web"}', 3],
      ['orch_mesh_connections_active{service="web"}', 1],
      ['orch_mesh_connections_failed_total{service="web"}', 1],
      ['orch_mesh_bytes_in_total{service="web"}', 100],
      ['orch_mesh_bytes_out_total{service="web"}', 2000],
      ['orch_dns_queries_total{network="backend",result="local"}', 4],
      ['orch_dns_queries_total{network="backend",result="forwarded"}', 2],
      ['orch_dns_queries_total{network="backend",result="failed"}', 1],
    ];
    expect(figures.map(([series]) => [series, sample(res.body, series)])).toEqual(figures);
    expect(res.body).toContain('# HELP orch_raft_is_leader 1 while this manager is the Raft leader, else 0.');
    expect(res.body).toContain('# TYPE orch_control_loop_passes_total counter');
    expect(sample(res.body, 'orch_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(res.body, 'orch_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('reads state at each scrape', async () => {
    const { kernel, port } = await serving('manager');
    const store = kernel.container.resolve(Tokens.ClusterStore);
    await store.update((tx) => tx.nodes.update({ ...tx.nodes.get('n3')!, status: { ...tx.nodes.get('n3')!.status, state: 'ready' } }));
    const body = (await get(port, '/metrics')).body;
    expect([sample(body, 'orch_nodes{state="ready"}'), sample(body, 'orch_nodes{state="down"}')]).toEqual([3, 0]);
  });

  it('serves only the mesh, DNS and process figures on a worker', async () => {
    const { port } = await serving('worker');
    const body = (await get(port, '/metrics')).body;
    expect(sample(body, 'orch_mesh_connections_total{service="web"}')).toBe(3);
    expect(sample(body, 'orch_dns_queries_total{network="net1",result="local"}')).toBe(4);
    expect(body).toContain('orch_process_resident_memory_bytes');
    expect(body).not.toMatch(/orch_(raft|nodes|scheduler|control_loop)_/);
  });

  it('answers 404 on other paths and stops listening on stop', async () => {
    const { kernel, port } = await serving('worker');
    for (const path of ['/', '/metricsx', '/metrics/x']) expect((await get(port, path)).status).toBe(404);
    expect((await get(port, '/metrics?x=1')).status).toBe(200);
    await kernel.lifecycle.stop.promise();
    running.splice(0);
    await expect(get(port, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('does nothing without a metrics address', async () => {
    const kernel = await kernelWith({ role: 'manager' });
    expect([kernel.lifecycle.start.taps, kernel.lifecycle.stop.taps, kernel.hooks.loops.pass.taps, kernel.hooks.network.routes.taps]).toEqual([[], [], [], []]);
  });

  it('fails the start with the address when it cannot bind it', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const kernel = await kernelWith({ role: 'worker', metricsAddr: `127.0.0.1:${port}` });
      await expect(kernel.lifecycle.start.promise()).rejects.toThrow(`cannot serve metrics on 127.0.0.1:${port} (--metrics-addr): listen EADDRINUSE`);
      await kernel.lifecycle.stop.promise();
    } finally {
      holder.close();
    }
  });

  it('refuses a metrics address that is not IP:PORT, naming the field', async () => {
    await expect(kernelWith({ role: 'worker', metricsAddr: 'localhost:9323' })).rejects.toThrow('invalid metricsAddr: expected IP:PORT (such as 127.0.0.1:9323), got "localhost:9323"');
    await expect(kernelWith({ role: 'worker', metricsAddr: '127.0.0.1' })).rejects.toThrow('invalid metricsAddr');
  });
});
