import { planReplicated } from '../../../core/orchestrator/replicated';
import { T0, created, makeNode, makeService, makeTask, nodeMap, summary } from './fixtures';

const nodes = nodeMap(makeNode('n1'), makeNode('n2'), makeNode('n3'));

describe('planReplicated', () => {
  it('creates every slot of a new service, desired running, from the service spec', () => {
    const svc = makeService({ replicas: 3 });
    const changes = planReplicated(svc, [], nodes, T0);
    expect(summary(changes)).toEqual(['create 1', 'create 2', 'create 3']);
    expect(created(changes)[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-z]{25}$/),
      serviceId: 'svc',
      serviceName: 'web',
      slot: 1,
      specVersion: 1,
      spec: svc.spec.task,
      ports: [],
      desiredState: 'running',
      status: { state: 'pending', timestamp: T0.toISOString(), message: 'pending task scheduling' },
      restartHistory: [],
    });
  });

  it('creates the tasks of a service on networks NEW, for the allocator to give them addresses', () => {
    const base = makeService({ replicas: 1 });
    const svc = { ...base, spec: { ...base.spec, networks: [{ target: 'net1' }] } };
    expect(created(planReplicated(svc, [], nodes, T0))[0].status).toEqual({ state: 'new', timestamp: T0.toISOString(), message: 'created' });
  });

  it('does nothing when every slot is in use', () => {
    const svc = makeService({ replicas: 2 });
    const tasks = [makeTask(svc, 'a', { slot: 1, nodeId: 'n1' }), makeTask(svc, 'b', { slot: 2, state: 'pending' })];
    expect(planReplicated(svc, tasks, nodes, T0)).toEqual([]);
  });

  it('fills the lowest free slot numbers, ignoring old tasks', () => {
    const svc = makeService({ replicas: 3 });
    const tasks = [
      makeTask(svc, 'a', { slot: 2, nodeId: 'n1' }),
      makeTask(svc, 'b', { slot: 5, nodeId: 'n1' }),
      makeTask(svc, 'old', { slot: 1, desired: 'shutdown', state: 'shutdown' }),
    ];
    expect(summary(planReplicated(svc, tasks, nodes, T0))).toEqual(['create 1']);
  });

  it('counts a slot whose task ended and was not restarted as in use', () => {
    const svc = makeService({ replicas: 1 });
    const tasks = [makeTask(svc, 'a', { slot: 1, state: 'failed' })];
    expect(planReplicated(svc, tasks, nodes, T0)).toEqual([]);
  });

  it('counts a slot held at desired ready as in use', () => {
    const svc = makeService({ replicas: 1 });
    expect(planReplicated(svc, [makeTask(svc, 'a', { slot: 1, desired: 'ready', state: 'new' })], nodes, T0)).toEqual([]);
  });

  describe('scale down', () => {
    it('shuts down slots that are not running first', () => {
      const svc = makeService({ replicas: 2 });
      const tasks = [
        makeTask(svc, 'a', { slot: 1, nodeId: 'n1' }),
        makeTask(svc, 'b', { slot: 2, nodeId: 'n2', state: 'starting' }),
        makeTask(svc, 'c', { slot: 3, nodeId: 'n3' }),
      ];
      expect(summary(planReplicated(svc, tasks, nodes, T0))).toEqual(['b→shutdown']);
    });

    it('then takes slots from the nodes running the most tasks of the service', () => {
      const svc = makeService({ replicas: 3 });
      const tasks = [
        makeTask(svc, 'a', { slot: 1, nodeId: 'n1' }),
        makeTask(svc, 'b', { slot: 2, nodeId: 'n1' }),
        makeTask(svc, 'c', { slot: 3, nodeId: 'n1' }),
        makeTask(svc, 'd', { slot: 4, nodeId: 'n2' }),
        makeTask(svc, 'e', { slot: 5, nodeId: 'n2' }),
        makeTask(svc, 'f', { slot: 6, nodeId: 'n3' }),
      ];
      // n1 has 3, n2 has 2, n3 has 1: going down to one per node.
      expect(summary(planReplicated(svc, tasks, nodes, T0)).sort()).toEqual(['b→shutdown', 'c→shutdown', 'e→shutdown']);
    });

    it('then the highest slot numbers, and keeps the slot numbers of the rest', () => {
      const svc = makeService({ replicas: 2 });
      const tasks = [1, 2, 3, 4].map((slot) => makeTask(svc, `t${slot}`, { slot, nodeId: `n${slot}` }));
      expect(summary(planReplicated(svc, tasks, nodeMap(...[1, 2, 3, 4].map((i) => makeNode(`n${i}`))), T0))).toEqual(['t4→shutdown', 't3→shutdown']);
    });

    it('to zero shuts every slot down', () => {
      const svc = makeService({ replicas: 0 });
      const tasks = [makeTask(svc, 'a', { slot: 1 }), makeTask(svc, 'b', { slot: 2, state: 'failed' })];
      expect(summary(planReplicated(svc, tasks, nodes, T0)).sort()).toEqual(['a→shutdown', 'b→shutdown']);
    });
  });

  describe('tasks on drained, DOWN or removed nodes', () => {
    it('are shut down and replaced in their slot at once, keeping the restart history', () => {
      const svc = makeService({ replicas: 2, restart: { delayMs: 5000 } });
      const drained = nodeMap(makeNode('n1', { availability: 'drain' }), makeNode('n2'));
      const tasks = [
        makeTask(svc, 'a', { slot: 1, nodeId: 'n1', history: ['2025-12-31T00:00:00.000Z'] }),
        makeTask(svc, 'b', { slot: 2, nodeId: 'gone' }),
      ];
      const changes = planReplicated(svc, tasks, drained, T0);
      expect(summary(changes)).toEqual(['a→shutdown+new', 'b→shutdown+new']);
      expect(created(changes).map((t) => [t.slot, t.nodeId, t.desiredState, t.restartHistory])).toEqual([
        [1, undefined, 'running', ['2025-12-31T00:00:00.000Z']],
        [2, undefined, 'running', []],
      ]);
    });

    it('are shut down and replaced at once when their node is DOWN', () => {
      const svc = makeService({ replicas: 2 });
      const tasks = [makeTask(svc, 'a', { slot: 1, nodeId: 'n1', history: ['2025-12-31T00:00:00.000Z'] }), makeTask(svc, 'b', { slot: 2, nodeId: 'n2' })];
      const changes = planReplicated(svc, tasks, nodeMap(makeNode('n1', { state: 'down' }), makeNode('n2')), T0);
      expect(summary(changes)).toEqual(['a→shutdown+new']);
      expect(created(changes).map((t) => [t.slot, t.nodeId, t.restartHistory])).toEqual([[1, undefined, ['2025-12-31T00:00:00.000Z']]]);
    });

    it('are not moved while their node is unknown or disconnected', () => {
      const svc = makeService({ replicas: 2 });
      const tasks = [makeTask(svc, 'a', { slot: 1, nodeId: 'n1' }), makeTask(svc, 'b', { slot: 2, nodeId: 'n2' })];
      expect(planReplicated(svc, tasks, nodeMap(makeNode('n1', { state: 'unknown' }), makeNode('n2', { state: 'disconnected' })), T0)).toEqual([]);
    });

    it('are left to the restart supervisor once ended', () => {
      const svc = makeService({ replicas: 1 });
      const tasks = [makeTask(svc, 'a', { slot: 1, nodeId: 'n1', state: 'failed' })];
      expect(planReplicated(svc, tasks, nodeMap(makeNode('n1', { availability: 'drain' })), T0)).toEqual([]);
    });

    it('are not moved when a paused node keeps them', () => {
      const svc = makeService({ replicas: 1 });
      const tasks = [makeTask(svc, 'a', { slot: 1, nodeId: 'n1' })];
      expect(planReplicated(svc, tasks, nodeMap(makeNode('n1', { availability: 'pause' })), T0)).toEqual([]);
    });

    it('go first on scale down, without replacement', () => {
      const svc = makeService({ replicas: 1 });
      const tasks = [makeTask(svc, 'a', { slot: 1, nodeId: 'n1' }), makeTask(svc, 'b', { slot: 2, nodeId: 'n2' })];
      const changes = planReplicated(svc, tasks, nodeMap(makeNode('n1', { availability: 'drain' }), makeNode('n2')), T0);
      expect(summary(changes)).toEqual(['a→shutdown']);
    });
  });

  it('shuts down a task without a slot', () => {
    const svc = makeService({ replicas: 1 });
    const tasks = [makeTask(svc, 'a', { slot: 1 }), makeTask(svc, 'g', { nodeId: 'n1' })];
    expect(summary(planReplicated(svc, tasks, nodes, T0))).toEqual(['g→shutdown']);
  });
});
