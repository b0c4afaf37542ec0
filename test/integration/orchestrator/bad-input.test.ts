import { TestNode, containersOf, waitFor, SLEEPER } from '../../helpers/cluster';

describe('bad input changes nothing', () => {
  const node = new TestNode();

  beforeAll(() => node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1'));
  afterAll(() => node.destroy());

  it.each([
    [['--replicas', '-1'], /--replicas/],
    [['--replicas', 'abc'], /--replicas.*abc/],
    [['--constraint', 'node.labels.x~y'], /--constraint.*node\.labels\.x~y/],
    [['--publish', '99999:80'], /--publish.*99999/],
    [['--no-such-flag'], /unknown option.*--no-such-flag/],
    [['--restart-condition', 'sometimes'], /--restart-condition/],
    [['--limit-memory', 'lots'], /--limit-memory/],
    [['--constraint', 'node.nosuchkey==x'], /unknown constraint key "node\.nosuchkey"/],
  ])('service create %j fails naming the field', async (flags, message) => {
    const r = await node.orch('service', 'create', '--name', 'bad', ...flags, 'orch-test/busybox', 'sleep', '100');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('refuses a missing image naming the field', async () => {
    const r = await node.orch('service', 'create', '--name', 'bad', 'orch-test/no-such-image:1', 'sleep', '100');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/task\.container\.image: image "orch-test\/no-such-image:1" not found/);
  });

  it('refuses a duplicate name and a published port already in use', async () => {
    await node.ok('service', 'create', '--detach', '--name', 'one', '--publish', '18082:80', ...SLEEPER);
    const dup = await node.orch('service', 'create', '--name', 'one', 'orch-test/busybox', 'sleep', '100');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/a service named "one" already exists/);
    const port = await node.orch('service', 'create', '--name', 'two', '--publish', '18082:80', 'orch-test/busybox', 'sleep', '100');
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/port tcp\/18082 is already published by service "one"/);
    await node.ok('service', 'rm', 'one');
    await waitFor('the container of "one" to be removed', () => containersOf(node.nodeId).length === 0, 30_000);
  });

  it('refuses bad scale and node update input', async () => {
    expect((await node.orch('service', 'scale', 'nosuch=2')).stderr).toMatch(/service nosuch not found/);
    expect((await node.orch('service', 'scale', 'web=abc')).stderr).toMatch(/abc/);
    expect((await node.orch('node', 'update', '--availability', 'sleepy', 'self')).stderr).toMatch(/--availability/);
  });

  it('created nothing', async () => {
    const { services } = await node.api('ServiceList', {});
    expect(services.map((s) => s.service.spec.name)).toEqual([]);
    expect((await node.api('TaskList', {})).tasks.filter((t) => t.desiredState === 'running')).toHaveLength(0);
    expect(containersOf(node.nodeId, ['status=running'])).toHaveLength(0);
  });
});
