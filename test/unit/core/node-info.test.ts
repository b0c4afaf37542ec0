import { buildNodeInfos, holdsResources } from '../../../core/scheduler/node-info';
import { hostPortKeys } from '../../../core/scheduler/node-usage';
import { CPU, GB, makeNode, makeTask } from '../scheduler-spread/fixtures';

describe('holdsResources', () => {
  it.each([
    ['assigned', 'running', true],
    ['running', 'running', true],
    ['running', 'shutdown', true],
    ['starting', 'remove', true],
    ['complete', 'running', false],
    ['failed', 'running', false],
    ['shutdown', 'shutdown', false],
    ['pending', 'running', false],
  ] as const)('a task %s on a node, desired %s: %s', (state, desired, expected) => {
    expect(holdsResources(makeTask('t', { nodeId: 'n1', state, desired }))).toBe(expected);
  });

  it('is false for a task without a node', () => {
    expect(holdsResources(makeTask('t', { state: 'running' }))).toBe(false);
  });
});

describe('hostPortKeys', () => {
  it('lists published host-mode ports only', () => {
    const task = {
      ...makeTask('t'),
      ports: [
        { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'host' },
        { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'host' },
        { protocol: 'tcp', targetPort: 80, publishedPort: 0, publishMode: 'host' },
        { protocol: 'tcp', targetPort: 80, publishedPort: 30000, publishMode: 'ingress' },
      ],
    } as const;
    expect(hostPortKeys(task)).toEqual(['tcp/8080', 'udp/5353']);
  });
});

describe('buildNodeInfos', () => {
  it('counts the tasks that hold resources, per node and per service', () => {
    const nodes = [makeNode('n1', { cpus: 4, memoryBytes: 8 * GB }), makeNode('n2')];
    const tasks = [
      makeTask('a', { nodeId: 'n1', state: 'running', cpus: 1, memoryBytes: GB, hostPorts: [8080] }),
      makeTask('b', { nodeId: 'n1', state: 'assigned', serviceId: 'other', cpus: 0.5 }),
      makeTask('c', { nodeId: 'n1', state: 'failed', cpus: 2, hostPorts: [9090] }),
      makeTask('d', { nodeId: 'n1', state: 'pending', cpus: 2 }),
      makeTask('e', { nodeId: 'gone', state: 'running' }),
      makeTask('f', { state: 'pending' }),
    ];
    const [n1, n2] = buildNodeInfos(nodes, tasks);
    expect(n1.node.id).toBe('n1');
    expect(n1.activeTasks).toBe(2);
    expect([...n1.tasksByService]).toEqual([['svc', 1], ['other', 1]]);
    expect(n1.reserved).toEqual({ nanoCpus: 1.5 * CPU, memoryBytes: GB });
    expect(n1.available).toEqual({ nanoCpus: 2.5 * CPU, memoryBytes: 7 * GB });
    expect([...n1.usedHostPorts]).toEqual(['tcp/8080']);
    expect(n2.activeTasks).toBe(0);
    expect(n2.available).toEqual(nodes[1].description.resources);
  });

  it('place() updates counts, reservations and ports', () => {
    const [info] = buildNodeInfos([makeNode('n1', { cpus: 2 })], []);
    info.place(makeTask('t', { cpus: 1, memoryBytes: GB, hostPorts: [80] }));
    expect(info.activeTasks).toBe(1);
    expect(info.tasksByService.get('svc')).toBe(1);
    expect(info.reserved).toEqual({ nanoCpus: CPU, memoryBytes: GB });
    expect(info.available).toEqual({ nanoCpus: CPU, memoryBytes: 7 * GB });
    expect(info.usedHostPorts.has('tcp/80')).toBe(true);
  });

  it('does not share state between builds', () => {
    const nodes = [makeNode('n1')];
    buildNodeInfos(nodes, [])[0].place(makeTask('t', { cpus: 1 }));
    expect(buildNodeInfos(nodes, [])[0].activeTasks).toBe(0);
  });

  it('builds 1,000 nodes from 100,000 tasks in one pass', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => makeNode(`n${i}`, { cpus: 1000 }));
    const tasks = Array.from({ length: 100_000 }, (_, i) =>
      makeTask(`t${i}`, { nodeId: `n${i % 1000}`, state: 'running', serviceId: `s${i % 50}`, cpus: 0.01, hostPorts: i % 10 === 0 ? [20000 + (i % 7)] : [] }),
    );
    const start = performance.now();
    const infos = buildNodeInfos(nodes, tasks);
    const ms = performance.now() - start;
    console.log(`buildNodeInfos: 1,000 nodes × 100,000 tasks in ${ms.toFixed(1)} ms`);
    expect(infos.reduce((n, i) => n + i.activeTasks, 0)).toBe(100_000);
    expect(infos[0].tasksByService.get('s0')).toBe(100);
  });
});
