import { makeNode, makeTask } from '../../../core/testing/builders';
import { testKernel } from '../../../core/testing/plugin-harness';
import schedulerFilters from '../../../plugins/scheduler-filters';
import schedulerSpread from '../../../plugins/scheduler-spread';
import binpack from '.';

const nodes = ['a', 'b', 'c'].map((id) => makeNode(id, { cpus: 2 }));
const tasks = (n: number, cpus?: number) => Array.from({ length: n }, (_, i) => makeTask(`t${i}`, { cpus }));
const perNode = (decisions: { nodeId?: string }[]) => decisions.map((d) => d.nodeId ?? '-').join('');

describe('scheduler-binpack', () => {
  it('fills the fullest node that still fits, then the next', async () => {
    const { schedule } = await testKernel(binpack, { with: [schedulerFilters] });
    expect(perNode(schedule(tasks(3), nodes))).toBe('aaa');
    expect(perNode(schedule(tasks(3), nodes, [makeTask('old', { nodeId: 'b', state: 'running' })]))).toBe('bbb');
    // 1 CPU each on 2-CPU nodes: two fit per node.
    expect(perNode(schedule(tasks(5, 1), nodes))).toBe('aabbc');
  });

  it('keeps the filters: constraints, resources, and says why a task has no node', async () => {
    const { schedule } = await testKernel(binpack, { with: [schedulerFilters] });
    const labeled = [makeNode('a'), makeNode('b', { labels: { disk: 'ssd' } })];
    expect(perNode(schedule([makeTask('t', { constraints: ['node.labels.disk==ssd'] })], labeled))).toBe('b');
    expect(schedule([makeTask('big', { cpus: 64 })], labeled)).toEqual([{ taskId: 'big', reason: 'no suitable node (insufficient resources on 2 nodes)' }]);
  });

  it('places differently from spread', async () => {
    const spread = await testKernel(schedulerSpread, { with: [schedulerFilters] });
    expect(perNode(spread.schedule(tasks(3), nodes))).toBe('abc');
  });

  it('cannot boot beside scheduler-spread, nor without scheduler-filters', async () => {
    await expect(testKernel(binpack, { with: [schedulerFilters, schedulerSpread] })).rejects.toThrow('both provide Scheduler');
    await expect(testKernel(binpack)).rejects.toThrow('plugin "scheduler-binpack" depends on "scheduler-filters", which is not loaded');
  });
});
