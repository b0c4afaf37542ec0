import type { Scheduler } from '../../../core/scheduler/contract';
import { bootPlugin, countPerNode, makeNode, makeTasks, reasonOf, running, scheduleOn } from './fixtures';

let scheduler: Scheduler;
beforeEach(async () => {
  ({ scheduler } = await bootPlugin());
});

const threeNodes = () => ['n1', 'n2', 'n3'].map((id) => makeNode(id));
const LIMIT_REASON = 'no suitable node (max replicas per node limit exceed on 3 nodes)';

describe('max replicas per node', () => {
  it('places 5 tasks on 3 nodes with a limit of 1: 3 placed, 2 pending', () => {
    const decisions = scheduleOn(scheduler, makeTasks('t', 5, { maxReplicasPerNode: 1 }), threeNodes());
    expect(countPerNode(decisions)).toEqual(new Map([['n1', 1], ['n2', 1], ['n3', 1]]));
    expect(decisions.slice(3).map(reasonOf)).toEqual([LIMIT_REASON, LIMIT_REASON]);
  });

  it('counts tasks of the service already on the nodes', () => {
    const existing = [running('a', 'n1'), running('b', 'n1'), running('c', 'n2')];
    const decisions = scheduleOn(scheduler, makeTasks('t', 4, { maxReplicasPerNode: 2 }), threeNodes(), existing);
    expect(countPerNode(decisions)).toEqual(new Map([['n2', 1], ['n3', 2]]));
    expect(reasonOf(decisions[3])).toBe(LIMIT_REASON);
  });

  it('ignores tasks of other services', () => {
    const existing = [running('x', 'n1', 'other'), running('y', 'n1', 'other')];
    const decisions = scheduleOn(scheduler, makeTasks('t', 2, { maxReplicasPerNode: 1 }), [makeNode('n1')], existing);
    expect(decisions.map(reasonOf)).toEqual([undefined, 'no suitable node (max replicas per node limit exceed on 1 node)']);
  });

  it('sets no limit with 0', () => {
    expect(countPerNode(scheduleOn(scheduler, makeTasks('t', 5, { maxReplicasPerNode: 0 }), [makeNode('n1')]))).toEqual(new Map([['n1', 5]]));
  });

  it('counts with the other filters in the pending reason', () => {
    const nodes = [...threeNodes(), makeNode('n4', { availability: 'drain' })];
    const decisions = scheduleOn(scheduler, makeTasks('t', 4, { maxReplicasPerNode: 1 }), nodes);
    expect(reasonOf(decisions[3])).toBe('no suitable node (max replicas per node limit exceed on 3 nodes; drained on 1 node)');
  });
});
