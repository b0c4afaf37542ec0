import { TestCluster, TestNode, freePort, waitFor } from '../../helpers/cluster';

/** Promotion and demotion of real daemons: the node renews into its new role and restarts in it. */
describe('promote and demote', () => {
  const cluster = new TestCluster();
  let w1: TestNode;
  let w2: TestNode;

  const roleOf = async (n: TestNode) => (await n.api('Info', {})).role;
  const managerStatus = async (n: TestNode) => (await cluster.manager.api('NodeList', {})).managers[n.nodeId];

  beforeAll(async () => {
    await cluster.init('1s');
    // Each gets its own cluster port: once promoted, it listens there.
    w1 = await cluster.join('--listen-addr', `127.0.0.1:${await freePort()}`);
    w2 = await cluster.join('--listen-addr', `127.0.0.1:${await freePort()}`);
  });
  afterAll(() => cluster.destroy());

  it('promotes workers: each restarts as a manager and joins consensus', async () => {
    const out = await cluster.manager.ok('node', 'promote', w1.nodeId, w2.nodeId);
    expect(out).toBe(`Node ${w1.nodeId} promoted to a manager in the swarm.\nNode ${w2.nodeId} promoted to a manager in the swarm.\n`);
    for (const w of [w1, w2]) {
      await waitFor(`${w.nodeId} to run as a manager`, async () => (await roleOf(w).catch(() => undefined)) === 'manager', 60_000);
      await waitFor(`${w.nodeId} to be a reachable manager`, async () => (await managerStatus(w))?.reachability === 'reachable', 60_000);
    }
    // A promoted node serves the control API (forwarded to the leader).
    expect((await w1.ok('node', 'ls')).match(/Reachable/g)).toHaveLength(2);
    expect(await cluster.manager.ok('node', 'promote', w1.nodeId)).toBe(`Node ${w1.nodeId} is already a manager in the swarm.\n`);
  });

  it('refuses a demotion that would lose quorum, then demotes once it is safe', async () => {
    process.kill(w2.pid!, 'SIGSTOP');
    try {
      await waitFor('the frozen manager to be unreachable', async () => (await managerStatus(w2))?.reachability === 'unreachable', 30_000);
      const refused = await cluster.manager.orch('node', 'demote', w1.nodeId);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/would leave 1 reachable of 2 managers, fewer than the quorum of 2/);
      expect(await roleOf(w1)).toBe('manager');
    } finally {
      process.kill(w2.pid!, 'SIGCONT');
    }
    await waitFor('the thawed manager to be reachable', async () => (await managerStatus(w2))?.reachability === 'reachable', 30_000);
    expect(await cluster.manager.ok('node', 'demote', w1.nodeId)).toBe(`Node ${w1.nodeId} demoted in the swarm.\n`);
    await waitFor(`${w1.nodeId} to run as a worker`, async () => (await roleOf(w1).catch(() => undefined)) === 'worker', 60_000);
    expect(await managerStatus(w1)).toBeUndefined();
    await waitFor(`${w1.nodeId} to be ready as a worker`, async () => (await cluster.manager.api('NodeInspect', { ref: w1.nodeId })).node.status.state === 'ready');
    const ls = await cluster.manager.ok('node', 'ls');
    expect(ls.match(/Leader/g)).toHaveLength(1);
    expect(ls.match(/Reachable/g)).toHaveLength(1);
  });

  it('a manager that leaves gives up its place in consensus first, so the others keep their quorum', async () => {
    await w2.ok('swarm', 'leave', '--force');
    const { managers } = await cluster.manager.api('NodeList', {});
    expect(Object.keys(managers)).toEqual([cluster.manager.nodeId]);
    await cluster.manager.ok('service', 'create', '--detach', '--name', 'after-leave', '--replicas', '0', 'orch-test/busybox');
  });
});
