import { TestCluster, WEB_SERVER, freePort, httpGet, waitFor } from '../../helpers/cluster';

/** The value of `series` (name and labels as exposed) in a scrape, or undefined. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus metrics of a daemon (--metrics-addr)', () => {
  const cluster = new TestCluster();
  const { manager } = cluster;
  let metricsUrl = '';
  const scrape = async () => (await httpGet(metricsUrl)) ?? '';

  beforeAll(async () => {
    metricsUrl = `http://127.0.0.1:${await freePort()}/metrics`;
    await cluster.init('1s', '--metrics-addr', new URL(metricsUrl).host);
  });
  afterAll(() => cluster.destroy());

  it('shows Raft leadership, control-loop passes and mesh traffic of a published service', async () => {
    const published = await freePort();
    await manager.ok('service', 'create', '--name', 'web', '--publish', `${published}:80`, ...WEB_SERVER);
    await waitFor('the service through the mesh', () => httpGet(`http://127.0.0.1:${published}/`), 30_000);

    const { value: body } = await waitFor('mesh figures of web', async () => {
      const b = await scrape();
      return (sample(b, 'orch_mesh_connections_total{service="web"}') ?? 0) >= 1 && b;
    });
    expect(sample(body, 'orch_raft_is_leader')).toBe(1);
    expect(sample(body, 'orch_raft_members')).toBe(1);
    expect(sample(body, 'orch_control_loop_passes_total{loop="scheduler"}')).toBeGreaterThan(0);
    expect(sample(body, 'orch_scheduler_tasks_placed_total')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'orch_nodes{state="ready"}')).toBe(1);
    expect(sample(body, 'orch_mesh_bytes_out_total{service="web"}')).toBeGreaterThan(0);
    expect(sample(body, 'orch_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('keeps serving them after the daemon restarts without the flag (node.json keeps it)', async () => {
    const pid = manager.pid!;
    process.kill(pid, 'SIGTERM');
    await waitFor('the daemon to stop', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    await manager.ok('daemon', '--detach');
    const { value: body } = await waitFor('metrics after the restart', async () => (await scrape()).includes('orch_raft_is_leader 1') && scrape());
    expect(sample(body, 'orch_raft_is_leader')).toBe(1);
  });
});
