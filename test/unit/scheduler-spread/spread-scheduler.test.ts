import type { Node, Task } from '../../../core/model/types';
import type { Scheduler, SchedulingDecision } from '../../../core/scheduler/contract';
import { buildNodeInfos } from '../../../core/scheduler/node-info';
import { bootPlugin, countPerNode, makeNode, makeTask, makeTasks, placements, reasonOf, running, scheduleOn } from './fixtures';

let scheduler: Scheduler;
beforeEach(async () => {
  ({ scheduler } = await bootPlugin());
});

/** Schedules `tasks` as one group with the scheduler of the test. */
const schedule = (tasks: readonly Task[], nodes: readonly Node[], existing: readonly Task[] = []): SchedulingDecision[] => scheduleOn(scheduler, tasks, nodes, existing);

const threeNodes = () => ['n1', 'n2', 'n3'].map((id) => makeNode(id));

describe('SpreadScheduler', () => {
  it('is registered as the Scheduler provider', () => {
    expect(scheduler.name).toBe('spread');
  });

  it('returns one decision per task, in order', () => {
    const tasks = makeTasks('t', 4);
    expect(schedule(tasks, threeNodes()).map((d) => d.taskId)).toEqual(['t-1', 't-2', 't-3', 't-4']);
    expect(schedule([], threeNodes())).toEqual([]);
  });

  it('spreads 3 tasks over 3 nodes, one each', () => {
    expect(countPerNode(schedule(makeTasks('t', 3), threeNodes()))).toEqual(new Map([['n1', 1], ['n2', 1], ['n3', 1]]));
  });

  it('spreads 6 tasks over 3 nodes, two each', () => {
    expect(countPerNode(schedule(makeTasks('t', 6), threeNodes()))).toEqual(new Map([['n1', 2], ['n2', 2], ['n3', 2]]));
  });

  it('breaks ties by node id, whatever the order of the nodes', () => {
    const nodes = threeNodes().reverse();
    expect(schedule(makeTasks('t', 3), nodes).map((d) => d.nodeId)).toEqual(['n1', 'n2', 'n3']);
  });

  it('prefers nodes with fewer tasks of the service', () => {
    const existing = [running('a', 'n1'), running('b', 'n2'), running('x', 'n3', 'other'), running('y', 'n3', 'other')];
    expect(schedule([makeTask('t')], threeNodes(), existing)[0].nodeId).toBe('n3');
  });

  it('then prefers nodes with fewer tasks overall', () => {
    const existing = [running('a', 'n1'), running('b', 'n2'), running('c', 'n3'), running('x', 'n1', 'other'), running('y', 'n3', 'other')];
    expect(schedule([makeTask('t')], threeNodes(), existing)[0].nodeId).toBe('n2');
  });

  it('evens out a service that starts unbalanced', () => {
    const existing = [running('a', 'n1'), running('b', 'n1'), running('c', 'n1')];
    expect(countPerNode(schedule(makeTasks('t', 6), threeNodes(), existing))).toEqual(new Map([['n2', 3], ['n3', 3]]));
  });

  it('never uses drained, paused or down nodes', () => {
    const nodes = [makeNode('n1'), makeNode('n2', { availability: 'drain' }), makeNode('n3', { availability: 'pause' }), makeNode('n4', { state: 'down' })];
    expect(countPerNode(schedule(makeTasks('t', 4), nodes))).toEqual(new Map([['n1', 4]]));
  });

  it('uses up resources within a batch: two 1-CPU tasks on a 1-CPU node place one', () => {
    const decisions = schedule(makeTasks('t', 2, { cpus: 1 }), [makeNode('n1', { cpus: 1 })]);
    expect(decisions).toEqual([
      { taskId: 't-1', nodeId: 'n1' },
      { taskId: 't-2', reason: 'no suitable node (insufficient resources on 1 node)' },
    ]);
  });

  it('moves on to the next node when the best one fills up', () => {
    const nodes = [makeNode('n1', { cpus: 1 }), makeNode('n2', { cpus: 3 })];
    expect(countPerNode(schedule(makeTasks('t', 4, { cpus: 1 }), nodes))).toEqual(new Map([['n1', 1], ['n2', 3]]));
  });

  it('refuses a host-mode port in use by an existing task', () => {
    const existing = [makeTask('old', { nodeId: 'n1', state: 'running', hostPorts: [8080] })];
    const decisions = schedule(makeTasks('t', 2, { hostPorts: [8080] }), [makeNode('n1'), makeNode('n2')], existing);
    expect(decisions).toEqual([
      { taskId: 't-1', nodeId: 'n2' },
      { taskId: 't-2', reason: 'no suitable node (host-mode port already in use on 2 nodes)' },
    ]);
  });

  it('refuses a host-mode port taken earlier in the same batch', () => {
    const decisions = schedule(makeTasks('t', 3, { hostPorts: [80] }), [makeNode('n1'), makeNode('n2')]);
    expect(placements(decisions)).toEqual(new Map([['t-1', 'n1'], ['t-2', 'n2']]));
    expect(decisions[2]).toEqual({ taskId: 't-3', reason: 'no suitable node (host-mode port already in use on 2 nodes)' });
  });

  it('honours constraints', () => {
    const nodes = [makeNode('n1', { labels: { zone: 'a' } }), makeNode('n2', { labels: { zone: 'b' } }), makeNode('n3', { labels: { zone: 'a' } })];
    expect(countPerNode(schedule(makeTasks('t', 4, { constraints: ['node.labels.zone==a'] }), nodes))).toEqual(new Map([['n1', 2], ['n3', 2]]));
  });

  describe('pending reasons', () => {
    it('counts one node in the singular', () => {
      const [d] = schedule([makeTask('t', { constraints: ['node.role==manager'] })], [makeNode('n1')]);
      expect(d).toEqual({ taskId: 't', reason: 'no suitable node (constraint not met on 1 node)' });
    });

    it('lists every explanation, most frequent first', () => {
      const nodes = [makeNode('n1', { cpus: 1 }), makeNode('n2', { cpus: 1 }), makeNode('n3', { cpus: 8 })];
      const [d] = schedule([makeTask('t', { cpus: 2, constraints: ['node.role==manager'] })], nodes);
      expect(reasonOf(d)).toBe('no suitable node (insufficient resources on 2 nodes; constraint not met on 1 node)');
    });

    it('orders equal counts alphabetically', () => {
      const nodes = [makeNode('n1', { availability: 'drain' }), makeNode('n2', { state: 'down' }), makeNode('n3', { availability: 'pause' })];
      expect(reasonOf(schedule([makeTask('t')], nodes)[0])).toBe('no suitable node (drained on 1 node; not ready on 1 node; paused on 1 node)');
    });

    it('says so when there are no nodes', () => {
      expect(schedule(makeTasks('t', 2), [])).toEqual([
        { taskId: 't-1', reason: 'no suitable node (no nodes available)' },
        { taskId: 't-2', reason: 'no suitable node (no nodes available)' },
      ]);
    });
  });

  describe('tasks with a preset node', () => {
    it('places them on that node only, before the others', () => {
      const tasks = [makeTask('free', { cpus: 1 }), makeTask('pinned', { nodeId: 'n2', cpus: 1 })];
      const nodes = [makeNode('n1', { cpus: 1 }), makeNode('n2', { cpus: 1 })];
      expect(schedule(tasks, nodes)).toEqual([
        { taskId: 'free', nodeId: 'n1' },
        { taskId: 'pinned', nodeId: 'n2' },
      ]);
    });

    it('still filters their node', () => {
      const nodes = [makeNode('n1'), makeNode('n2', { availability: 'drain' })];
      expect(schedule([makeTask('t', { nodeId: 'n2' })], nodes)).toEqual([{ taskId: 't', reason: 'no suitable node (drained on 1 node)' }]);
    });

    it('leaves them pending when their node is unknown', () => {
      expect(reasonOf(schedule([makeTask('t', { nodeId: 'gone' })], threeNodes())[0])).toBe('no suitable node (no nodes available)');
    });

    it('are not counted twice when the store already lists them as pending on their node', () => {
      const pinned = makeTask('t', { nodeId: 'n1', cpus: 1, hostPorts: [80] });
      expect(schedule([pinned], [makeNode('n1', { cpus: 1 })], [pinned])).toEqual([{ taskId: 't', nodeId: 'n1' }]);
    });
  });

  it('lets other plugins filter and score through the hooks', async () => {
    const { hooks, scheduler: s } = await bootPlugin();
    hooks.scheduler.filter.tap('no-n1', (_t, info) => (info.node.id === 'n1' ? { filter: 'test', explanation: 'not n1' } : undefined));
    hooks.scheduler.score.tap({ name: 'likes-n3', stage: 10 }, (score, _t, info) => (info.node.id === 'n3' ? score + 1e9 : score));
    const decisions = s.scheduleGroup(makeTasks('t', 2), buildNodeInfos(threeNodes(), []));
    expect(decisions.map((d) => d.nodeId)).toEqual(['n3', 'n3']);
  });
});
