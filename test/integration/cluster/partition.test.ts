import { SLEEPER, TestNode, waitFor } from '../../helpers/cluster';
import { TestNetwork, type TestHost } from '../../helpers/netns';

/**
 * Three managers on three hosts (network namespaces cabled to one bridge): cutting the leader's cable
 * is a real partition, both ways. The minority cannot commit; the majority elects a leader and goes
 * on; once healed, the old leader follows and every manager holds the same state.
 */
describe('a partitioned leader', () => {
  let net: TestNetwork;
  const nodes: { node: TestNode; host: TestHost }[] = [];
  const localVersion = async (m: TestNode) => (await m.api('Info', {})).storeVersion;
  const names = async (m: TestNode) => (await m.api('ServiceList', {})).services.map((s) => s.service.spec.name);
  const leaderOf = async (via: TestNode) => {
    const { managers } = await via.api('NodeList', {});
    const id = Object.entries(managers).find(([, s]) => s.leader)?.[0];
    return nodes.find((n) => n.node.nodeId === id);
  };

  beforeAll(async () => {
    net = new TestNetwork();
    for (let i = 0; i < 3; i++) {
      const host = net.addHost();
      nodes.push({ node: new TestNode('orch-mgr-', host.ns), host });
    }
    const [first, ...rest] = nodes;
    const cluster = `${first.host.addr}:2377`;
    await first.node.ok('swarm', 'init', '--advertise-addr', first.host.addr, '--listen-addr', cluster, '--dispatcher-heartbeat', '1s');
    const token = (await first.node.ok('swarm', 'join-token', '-q', 'manager')).trim();
    for (const { node, host } of rest) {
      await node.ok('swarm', 'join', '--token', token, '--advertise-addr', host.addr, '--listen-addr', `${host.addr}:2377`, cluster);
    }
    await waitFor('three reachable managers', async () => Object.values((await first.node.api('NodeList', {})).managers).filter((m) => m.reachability === 'reachable').length === 3);
  });
  afterAll(async () => {
    for (const { node } of nodes) await node.destroy();
    net?.destroy();
  });

  it('cannot commit on the minority side; the majority elects a leader and commits; all converge after healing', async () => {
    const old = (await leaderOf(nodes[0].node))!;
    const majority = nodes.filter((n) => n !== old);
    net.isolate(old.host);
    try {
      // The cut-off leader takes the call but cannot get it committed: it fails, and never happens.
      const minorityWrite = old.node.orch('service', 'create', '--detach', '--name', 'on-the-minority', ...SLEEPER);
      await waitFor('a new leader on the majority side', async () => {
        const l = await leaderOf(majority[0].node).catch(() => undefined);
        return l !== undefined && l !== old;
      });
      await majority[1].node.ok('service', 'create', '--detach', '--name', 'on-the-majority', ...SLEEPER);
      const refused = await minorityWrite;
      expect(refused.code).not.toBe(0);
      expect(await names(majority[0].node)).toContain('on-the-majority');
    } finally {
      net.heal(old.host);
    }
    await waitFor('every manager to hold the same state', async () => {
      const versions = await Promise.all(nodes.map((n) => localVersion(n.node)));
      return versions.every((v) => v === versions[0]);
    });
    const after = await names(old.node);
    expect(after).toContain('on-the-majority');
    expect(after).not.toContain('on-the-minority');
    expect((await leaderOf(old.node)) === old).toBe(false);
  });
});
