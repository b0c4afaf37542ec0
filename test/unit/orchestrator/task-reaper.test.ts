import { planReap } from '../../../core/orchestrator/task-reaper';
import { at, makeService, makeTask, summary } from './fixtures';

const svc = makeService({ replicas: 2 });
const old = (id: string, slot: number, ageMs: number, nodeId?: string) =>
  makeTask(svc, id, { slot, nodeId, desired: 'shutdown', state: 'failed', createdAt: at(-ageMs) });

describe('planReap', () => {
  it('keeps the newest old tasks of each slot up to the limit', () => {
    const tasks = [
      makeTask(svc, 'live1', { slot: 1 }),
      old('s1-a', 1, 300),
      old('s1-b', 1, 100),
      old('s1-c', 1, 200),
      old('s2-a', 2, 100),
    ];
    expect(summary(planReap(tasks, 2))).toEqual(['delete s1-a']);
    expect(summary(planReap(tasks, 1)).sort()).toEqual(['delete s1-a', 'delete s1-c']);
    expect(summary(planReap(tasks, 0)).sort()).toEqual(['delete s1-a', 'delete s1-b', 'delete s1-c', 'delete s2-a']);
  });

  it('counts history per node for a global service', () => {
    const global = makeService({ global: true });
    const g = (id: string, nodeId: string, ageMs: number) => makeTask(global, id, { nodeId, desired: 'shutdown', state: 'complete', createdAt: at(-ageMs) });
    expect(summary(planReap([g('a1', 'a', 2), g('a2', 'a', 1), g('b1', 'b', 2)], 1))).toEqual(['delete a1']);
  });

  it('keeps old tasks that are still stopping', () => {
    expect(planReap([makeTask(svc, 'x', { slot: 1, desired: 'shutdown', state: 'running' })], 0)).toEqual([]);
  });

  it('deletes tasks desired REMOVE once stopped or if they never reached a node', () => {
    const tasks = [
      makeTask(svc, 'stopped', { slot: 1, desired: 'remove', state: 'shutdown' }),
      makeTask(svc, 'new', { slot: 2, desired: 'remove', state: 'new' }),
      makeTask(svc, 'pending', { slot: 3, desired: 'remove', state: 'pending' }),
      makeTask(svc, 'stopping', { slot: 4, desired: 'remove', state: 'running' }),
      makeTask(svc, 'assigned', { slot: 5, desired: 'remove', state: 'assigned' }),
    ];
    expect(summary(planReap(tasks, 5))).toEqual(['delete stopped', 'delete new', 'delete pending']);
  });
});
