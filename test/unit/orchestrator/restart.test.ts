import { nextRestartHistory, planRestarts, restartsInWindow, shouldRestart } from '../../../core/orchestrator/restart';
import { T0, at, created, makeService, makeTask, summary } from './fixtures';

const svc = makeService({ replicas: 3 });
const iso = (ms: number) => at(ms).toISOString();

describe('shouldRestart', () => {
  const ended = (state: 'complete' | 'failed' | 'rejected' | 'shutdown' | 'orphaned', condition: 'any' | 'on-failure' | 'none', exitCode?: number) =>
    shouldRestart(makeTask(svc, 't', { slot: 1, state, exitCode, restart: { condition } }), T0);

  it('never restarts under condition none', () => {
    expect(ended('failed', 'none', 1)).toBe(false);
  });

  it('always restarts under condition any', () => {
    for (const state of ['complete', 'failed', 'rejected', 'shutdown', 'orphaned'] as const) expect(ended(state, 'any', 0)).toBe(true);
  });

  it('restarts under on-failure only after FAILED, REJECTED or a non-zero exit', () => {
    expect(ended('failed', 'on-failure')).toBe(true);
    expect(ended('rejected', 'on-failure')).toBe(true);
    expect(ended('shutdown', 'on-failure', 137)).toBe(true);
    expect(ended('complete', 'on-failure', 0)).toBe(false);
    expect(ended('shutdown', 'on-failure')).toBe(false);
  });

  it('stops once maxAttempts restarts fall in the window', () => {
    const restart = { maxAttempts: 2, windowMs: 60_000 };
    const task = (history: string[]) => makeTask(svc, 't', { slot: 1, state: 'failed', history, restart });
    expect(shouldRestart(task([iso(-10_000)]), T0)).toBe(true);
    expect(shouldRestart(task([iso(-10_000), iso(-5_000)]), T0)).toBe(false);
    expect(shouldRestart(task([iso(-70_000), iso(-5_000)]), T0)).toBe(true);
  });

  it('counts every restart when the window is unbounded', () => {
    const task = makeTask(svc, 't', { slot: 1, state: 'failed', history: [iso(-1e9), iso(-1e8)], restart: { maxAttempts: 2, windowMs: 0 } });
    expect(shouldRestart(task, T0)).toBe(false);
  });
});

describe('restart history', () => {
  it('keeps the restarts inside the window', () => {
    const policy = { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 1000 } as const;
    expect(restartsInWindow([iso(-2000), iso(-500)], policy, T0)).toEqual([iso(-500)]);
    expect(restartsInWindow([iso(-2000), iso(-500)], { ...policy, windowMs: 0 }, T0)).toEqual([iso(-2000), iso(-500)]);
  });

  it('carries the window plus now to the replacement', () => {
    const task = makeTask(svc, 't', { slot: 1, state: 'failed', history: [iso(-2000), iso(-500)], restart: { windowMs: 1000 } });
    expect(nextRestartHistory(task, T0)).toEqual([iso(-500), iso(0)]);
  });

  it('stays bounded under an unlimited policy', () => {
    const history = Array.from({ length: 50 }, (_, i) => iso(i - 100));
    const carried = nextRestartHistory(makeTask(svc, 't', { slot: 1, state: 'failed', history }), T0);
    expect(carried).toHaveLength(10);
    expect(carried.at(-1)).toBe(iso(0));
  });
});

describe('planRestarts', () => {
  it('shuts an ended task down and replaces it in its slot, held at READY for the delay', () => {
    const service = makeService({ replicas: 3, restart: { delayMs: 5000 } });
    const failed = makeTask(service, 'a', { slot: 2, nodeId: 'n1', state: 'failed', history: [iso(-1000)] });
    const plan = planRestarts(service, [failed, makeTask(service, 'b', { slot: 1 })], T0);
    expect(summary(plan.changes)).toEqual(['a→shutdown+new']);
    const [replacement] = created(plan.changes);
    expect(replacement).not.toHaveProperty('nodeId');
    expect(replacement).toMatchObject({ slot: 2, desiredState: 'ready', restartHistory: [iso(-1000), iso(0)], status: { state: 'pending' } });
    expect(plan.wakeAt).toBeUndefined();
  });

  it('creates the replacement desired RUNNING when the delay is 0', () => {
    const plan = planRestarts(svc, [makeTask(svc, 'a', { slot: 1, state: 'complete' })], T0);
    expect(created(plan.changes).map((t) => t.desiredState)).toEqual(['running']);
  });

  it('replaces a global task on its node', () => {
    const service = makeService({ global: true });
    const plan = planRestarts(service, [makeTask(service, 'a', { nodeId: 'n7', state: 'failed' })], T0);
    expect(created(plan.changes).map((t) => [t.nodeId, t.slot])).toEqual([['n7', undefined]]);
  });

  it('leaves a task whose restart is refused as it is', () => {
    const task = makeTask(svc, 'a', { slot: 1, state: 'complete', exitCode: 0, restart: { condition: 'on-failure' } });
    expect(planRestarts(svc, [task], T0).changes).toEqual([]);
  });

  it('ignores tasks not desired to run and tasks still alive', () => {
    const tasks = [makeTask(svc, 'a', { slot: 1, desired: 'shutdown', state: 'failed' }), makeTask(svc, 'b', { slot: 2, state: 'running' })];
    expect(planRestarts(svc, tasks, T0)).toEqual({ changes: [], wakeAt: undefined });
  });

  it('raises a READY task to RUNNING once its delay since creation has passed, else says when', () => {
    const service = makeService({ replicas: 2, restart: { delayMs: 5000 } });
    const early = makeTask(service, 'a', { slot: 1, desired: 'ready', state: 'pending', createdAt: at(-4000) });
    const due = makeTask(service, 'b', { slot: 2, desired: 'ready', state: 'assigned', createdAt: at(-5000) });
    const plan = planRestarts(service, [early, due], T0);
    expect(summary(plan.changes)).toEqual(['b→running']);
    expect(plan.wakeAt).toBe(at(1000).getTime());
  });

  it('replaces a READY task that ended before it was raised', () => {
    const service = makeService({ replicas: 1, restart: { delayMs: 5000 } });
    const plan = planRestarts(service, [makeTask(service, 'a', { slot: 1, desired: 'ready', state: 'rejected' })], T0);
    expect(summary(plan.changes)).toEqual(['a→shutdown+new']);
  });

  it('does not raise a READY task while another task of its slot is still stopping (a stop-first update)', () => {
    const held = makeTask(svc, 'new', { slot: 1, desired: 'ready', state: 'new', createdAt: at(-10_000) });
    const stopping = makeTask(svc, 'old', { slot: 1, desired: 'shutdown', state: 'running' });
    expect(planRestarts(svc, [stopping, held], T0).changes).toEqual([]);
  });

  it('does not restart an ended task whose slot another live task serves (a start-first update)', () => {
    const ended = makeTask(svc, 'old', { slot: 1, state: 'failed', exitCode: 1 });
    const other = makeTask(svc, 'new', { slot: 1, state: 'starting' });
    expect(planRestarts(svc, [ended, other], T0).changes).toEqual([]);
  });
});
