import type { Node } from '../../../core/model/types';
import type { Scheduler, SchedulingDecision } from '../../../core/scheduler/contract';
import { bootPlugin, countPerNode, makeNode, makeTasks, placements, reasonOf, running, scheduleOn, type NodeOptions } from './fixtures';

let scheduler: Scheduler;
beforeEach(async () => {
  ({ scheduler } = await bootPlugin());
});

const ZONE = 'node.labels.zone';
const RACK = 'node.labels.rack';

/** Nodes `<prefix>1` … `<prefix>n` with these options. */
const nodesOf = (prefix: string, n: number, o: NodeOptions = {}): Node[] => Array.from({ length: n }, (_, i) => makeNode(`${prefix}${i + 1}`, o));

/** Placed tasks per value of node label `label` ('-' for nodes lacking it). */
function countPerLabel(decisions: readonly SchedulingDecision[], nodes: readonly Node[], label: string): Record<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n.spec.labels[label] ?? '-']));
  const counts: Record<string, number> = {};
  for (const nodeId of placements(decisions).values()) {
    const value = byId.get(nodeId) ?? '?';
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

describe('placement preferences', () => {
  const zones = [...nodesOf('a', 4, { labels: { zone: 'a' } }), ...nodesOf('b', 2, { labels: { zone: 'b' } })];

  it('spreads 6 tasks evenly over zones of 4 and 2 nodes', () => {
    const decisions = scheduleOn(scheduler, makeTasks('t', 6, { preferences: [ZONE] }), zones);
    expect(countPerLabel(decisions, zones, 'zone')).toEqual({ a: 3, b: 3 });
    expect(countPerNode(decisions)).toEqual(new Map([['a1', 1], ['a2', 1], ['a3', 1], ['b1', 2], ['b2', 1]]));
  });

  it('spreads over nodes alone without preferences', () => {
    expect(countPerLabel(scheduleOn(scheduler, makeTasks('t', 6), zones), zones, 'zone')).toEqual({ a: 4, b: 2 });
  });

  it('counts tasks of the service already in each zone', () => {
    const existing = [running('x', 'a1'), running('y', 'a2'), running('z', 'a3', 'other')];
    const decisions = scheduleOn(scheduler, makeTasks('t', 4, { preferences: [ZONE] }), zones, existing);
    expect(countPerLabel(decisions, zones, 'zone')).toEqual({ a: 1, b: 3 });
  });

  it('gives nothing to a zone above its share until the others catch up', () => {
    const existing = ['p', 'q', 'r', 's', 't'].map((id, i) => running(id, `a${i % 4 + 1}`));
    expect(countPerLabel(scheduleOn(scheduler, makeTasks('t', 3, { preferences: [ZONE] }), zones, existing), zones, 'zone')).toEqual({ b: 3 });
  });

  it('spreads level by level: zones, then racks within each zone', () => {
    const nodes = [
      ...nodesOf('a-r1-', 2, { labels: { zone: 'a', rack: 'r1' } }),
      makeNode('a-r2-1', { labels: { zone: 'a', rack: 'r2' } }),
      ...nodesOf('b-r3-', 3, { labels: { zone: 'b', rack: 'r3' } }),
    ];
    const decisions = scheduleOn(scheduler, makeTasks('t', 8, { preferences: [ZONE, RACK] }), nodes);
    expect(countPerLabel(decisions, nodes, 'zone')).toEqual({ a: 4, b: 4 });
    expect(countPerLabel(decisions, nodes, 'rack')).toEqual({ r1: 2, r2: 2, r3: 4 });
    expect(countPerNode(decisions).get('a-r2-1')).toBe(2);
  });

  it('puts nodes lacking the attribute in a branch of their own', () => {
    const nodes = [makeNode('n1', { labels: { zone: 'a' } }), makeNode('n2', { labels: { zone: 'b' } }), makeNode('n3'), makeNode('n4', { labels: { zone: '' } })];
    const decisions = scheduleOn(scheduler, makeTasks('t', 6, { preferences: [ZONE] }), nodes);
    expect(countPerLabel(decisions, nodes, 'zone')).toEqual({ a: 2, b: 2, '-': 1, '': 1 });
    expect(countPerNode(decisions)).toEqual(new Map([['n1', 2], ['n2', 2], ['n3', 1], ['n4', 1]]));
  });

  it('evens out over the zones that still have room once one is full', () => {
    const nodes = [...nodesOf('a', 2, { labels: { zone: 'a' }, cpus: 8 }), makeNode('b1', { labels: { zone: 'b' }, cpus: 1 })];
    const decisions = scheduleOn(scheduler, makeTasks('t', 6, { cpus: 1, preferences: [ZONE] }), nodes);
    expect(countPerLabel(decisions, nodes, 'zone')).toEqual({ a: 5, b: 1 });
  });

  it('honours constraints and resources within the zones', () => {
    const nodes = [
      ...nodesOf('a', 2, { labels: { zone: 'a' }, cpus: 2 }),
      makeNode('a-mgr', { labels: { zone: 'a' }, role: 'manager', cpus: 16 }),
      makeNode('b1', { labels: { zone: 'b' }, cpus: 3 }),
      makeNode('c-mgr', { labels: { zone: 'c' }, role: 'manager', cpus: 16 }),
    ];
    const decisions = scheduleOn(scheduler, makeTasks('t', 9, { cpus: 1, constraints: ['node.role==worker'], preferences: [ZONE] }), nodes);
    expect(countPerNode(decisions)).toEqual(new Map([['a1', 2], ['a2', 2], ['b1', 3]]));
    expect(reasonOf(decisions[7])).toBe('no suitable node (insufficient resources on 3 nodes; constraint not met on 2 nodes)');
  });

  it('keeps the max replicas per node limit within a zone', () => {
    const decisions = scheduleOn(scheduler, makeTasks('t', 7, { preferences: [ZONE], maxReplicasPerNode: 1 }), zones);
    expect(countPerLabel(decisions, zones, 'zone')).toEqual({ a: 4, b: 2 });
    expect(reasonOf(decisions[6])).toBe('no suitable node (max replicas per node limit exceed on 6 nodes)');
  });

  it('does not depend on the order of the nodes', () => {
    const tasks = makeTasks('t', 5, { preferences: [ZONE] });
    expect(scheduleOn(scheduler, tasks, [...zones].reverse())).toEqual(scheduleOn(scheduler, tasks, zones));
  });

  it('says so when there are no nodes', () => {
    expect(reasonOf(scheduleOn(scheduler, makeTasks('t', 1, { preferences: [ZONE] }), [])[0])).toBe('no suitable node (no nodes available)');
  });

  it('treats an attribute no tap knows as one value for every node', () => {
    expect(countPerLabel(scheduleOn(scheduler, makeTasks('t', 6, { preferences: ['node.foo'] }), zones), zones, 'zone')).toEqual({ a: 4, b: 2 });
  });

  it('places tasks with a preset node on that node only', () => {
    const decisions = scheduleOn(scheduler, makeTasks('t', 2, { nodeId: 'a1', preferences: [ZONE] }), zones);
    expect(countPerNode(decisions)).toEqual(new Map([['a1', 2]]));
  });
});
