import type { Hooks } from '../../../core/hooks';
import type { Node, Task } from '../../../core/model/types';
import { buildNodeInfos } from '../../../core/scheduler/node-info';
import { bootPlugin, GB, makeNode, makeTask, type TaskOptions } from './fixtures';

let hooks: Hooks;
beforeEach(async () => {
  ({ hooks } = await bootPlugin());
});

/** The explanation the filters give for `task` on `node`, with `running` tasks already there. */
function verdict(task: Task, node: Node, running: readonly TaskOptions[] = []): string | undefined {
  const existing = running.map((o, i) => makeTask(`old-${i}`, { state: 'running', nodeId: node.id, ...o }));
  return hooks.scheduler.filter.call(task, buildNodeInfos([node], existing)[0])?.explanation;
}

/** Whether a task with these constraints may run on `node`. */
const admits = (node: Node, ...constraints: string[]): boolean => verdict(makeTask('t', { constraints }), node) === undefined;

describe('ready filter', () => {
  it.each([
    [{ state: 'down' }, 'not ready'],
    [{ state: 'disconnected' }, 'not ready'],
    [{ state: 'unknown' }, 'not ready'],
    [{ availability: 'drain' }, 'drained'],
    [{ availability: 'pause' }, 'paused'],
    [{ state: 'down', availability: 'drain' }, 'not ready'],
    [{}, undefined],
  ] as const)('node %j → %s', (o, explanation) => {
    expect(verdict(makeTask('t'), makeNode('n', o))).toBe(explanation);
  });
});

describe('runtime filter', () => {
  it('turns down a node without the runtime the task names; a task naming none fits any', () => {
    const node = makeNode('n');
    const wants = (runtime: string) => {
      const t = makeTask('t');
      return { ...t, spec: { ...t.spec, runtime } };
    };
    expect(verdict(wants('process'), node)).toBe('runtime not available');
    expect(verdict(wants('docker'), node)).toBeUndefined();
    expect(verdict(makeTask('t'), node)).toBeUndefined();
  });
});

describe('resources filter', () => {
  it('refuses reservations above what is available', () => {
    const node = makeNode('n', { cpus: 2, memoryBytes: 4 * GB });
    expect(verdict(makeTask('t', { cpus: 3 }), node)).toBe('insufficient resources');
    expect(verdict(makeTask('t', { memoryBytes: 5 * GB }), node)).toBe('insufficient resources');
    expect(verdict(makeTask('t', { cpus: 2, memoryBytes: 4 * GB }), node)).toBeUndefined();
  });

  it('counts what running tasks reserve', () => {
    const node = makeNode('n', { cpus: 2 });
    expect(verdict(makeTask('t', { cpus: 1 }), node, [{ cpus: 1.5 }])).toBe('insufficient resources');
    expect(verdict(makeTask('t', { cpus: 0.5 }), node, [{ cpus: 1.5 }])).toBeUndefined();
  });

  it('admits a task that reserves nothing, even on an overcommitted node', () => {
    expect(verdict(makeTask('t'), makeNode('n', { cpus: 1 }), [{ cpus: 2 }])).toBeUndefined();
  });
});

describe('constraints filter', () => {
  const node = makeNode('node-7', {
    hostname: 'Web-1',
    role: 'worker',
    addr: '10.0.3.7',
    labels: { zone: 'eu-1', 'disk.type': 'SSD' },
    engineLabels: { storage: 'fast' },
  });

  it.each([
    ['node.id==node-7', true],
    ['node.id!=node-7', false],
    ['node.hostname==web-1', true],
    ['node.hostname==WEB-1', true],
    ['node.hostname==web', false],
    ['node.role==worker', true],
    ['node.role==manager', false],
    ['node.role!=manager', true],
    ['node.platform.os==Linux', true],
    ['node.platform.arch!=x86_64', false],
    ['node.labels.zone==eu-1', true],
    ['node.labels.zone!=eu-1', false],
    ['node.labels.disk.type==ssd', true],
    ['engine.labels.storage==fast', true],
    ['engine.labels.storage==slow', false],
    ['NODE.LABELS.zone == EU-1', true],
  ])('%s → %s', (constraint, expected) => {
    expect(admits(node, constraint)).toBe(expected);
  });

  it('treats a missing attribute as empty: == fails, != passes', () => {
    expect(admits(node, 'node.labels.rack==r1')).toBe(false);
    expect(admits(node, 'node.labels.rack!=r1')).toBe(true);
    expect(admits(node, 'engine.labels.zone!=eu-1')).toBe(true);
  });

  it('never matches an unknown key, whatever the operator', () => {
    expect(admits(node, 'node.foo==bar')).toBe(false);
    expect(admits(node, 'node.foo!=bar')).toBe(false);
  });

  it('needs every constraint to hold', () => {
    expect(admits(node, 'node.role==worker', 'node.labels.zone==eu-1')).toBe(true);
    expect(admits(node, 'node.role==worker', 'node.labels.zone==us-1')).toBe(false);
  });

  it.each([
    ['node.ip==10.0.3.7', true],
    ['node.ip!=10.0.3.7', false],
    ['node.ip==10.0.3.8', false],
    ['node.ip==10.0.0.0/16', true],
    ['node.ip==10.0.3.0/24', true],
    ['node.ip==10.0.4.0/24', false],
    ['node.ip!=10.0.4.0/24', true],
    ['node.ip==0.0.0.0/0', true],
    ['node.ip==fd00::/8', false],
  ])('%s on a node at 10.0.3.7 → %s', (constraint, expected) => {
    expect(admits(node, constraint)).toBe(expected);
  });

  it('matches IPv6 addresses and subnets', () => {
    const v6 = makeNode('n', { addr: '[fd00::12]:2377' });
    expect(admits(v6, 'node.ip==fd00::/8')).toBe(true);
    expect(admits(v6, 'node.ip==FD00:0::12')).toBe(true);
    expect(admits(v6, 'node.ip==10.0.0.0/8')).toBe(false);
  });

  it('fails node.ip== on a node whose address is not an IP', () => {
    const named = makeNode('n', { addr: 'manager-1' });
    expect(admits(named, 'node.ip==10.0.0.0/8')).toBe(false);
    expect(admits(named, 'node.ip!=10.0.0.0/8')).toBe(true);
  });

  it('refuses every node for a malformed constraint that slipped past validation', () => {
    expect(admits(node, 'node.ip==not-an-address')).toBe(false);
    expect(admits(node, 'zone')).toBe(false);
  });
});

describe('host port filter', () => {
  it('refuses a node where the host-mode port is bound', () => {
    const node = makeNode('n');
    expect(verdict(makeTask('t', { hostPorts: [8080] }), node, [{ hostPorts: [8080] }])).toBe('host-mode port already in use');
    expect(verdict(makeTask('t', { hostPorts: [8081] }), node, [{ hostPorts: [8080] }])).toBeUndefined();
  });

  it('ignores ports of tasks that have stopped', () => {
    expect(verdict(makeTask('t', { hostPorts: [8080] }), makeNode('n'), [{ hostPorts: [8080], state: 'failed' }])).toBeUndefined();
  });
});

describe('max replicas per node filter', () => {
  const LIMIT = 'max replicas per node limit exceed';

  it('refuses a node running the most tasks of the service allowed', () => {
    const task = makeTask('t', { maxReplicasPerNode: 2 });
    expect(verdict(task, makeNode('n'), [{}])).toBeUndefined();
    expect(verdict(task, makeNode('n'), [{}, {}])).toBe(LIMIT);
  });

  it('counts only active tasks of the same service', () => {
    const task = makeTask('t', { maxReplicasPerNode: 1 });
    expect(verdict(task, makeNode('n'), [{ serviceId: 'other' }, { state: 'shutdown' }])).toBeUndefined();
  });

  it('sets no limit with 0', () => {
    expect(verdict(makeTask('t'), makeNode('n'), [{}, {}, {}])).toBeUndefined();
  });
});

describe('filter order', () => {
  it('reports the first failing filter: ready, resources, constraints, host ports, max replicas', () => {
    const task = makeTask('t', { cpus: 8, constraints: ['node.role==manager'], hostPorts: [80], maxReplicasPerNode: 1 });
    const busy: TaskOptions[] = [{ hostPorts: [80] }];
    expect(verdict(task, makeNode('n', { state: 'down', cpus: 1 }), busy)).toBe('not ready');
    expect(verdict(task, makeNode('n', { cpus: 1 }), busy)).toBe('insufficient resources');
    expect(verdict(task, makeNode('n', { cpus: 16 }), busy)).toBe('constraint not met');
    expect(verdict(task, makeNode('n', { cpus: 16, role: 'manager' }), busy)).toBe('host-mode port already in use');
    expect(verdict(task, makeNode('n', { cpus: 16, role: 'manager' }), [{ hostPorts: [81] }])).toBe('max replicas per node limit exceed');
    expect(verdict(task, makeNode('n', { cpus: 16, role: 'manager' }))).toBeUndefined();
  });
});
