import { countEligibleNodes } from '../../../cli/progress/eligibility';
import { globalProgress, replicatedProgress, stateBar } from '../../../cli/progress/model';
import { progressRenderer } from '../../../cli/progress/render';
import { rolloutProgress } from '../../../cli/progress/rollout';
import type { Task, UpdateStatus } from '../../../core/model/types';
import { ago, makeNode, makeService, makeTask } from './fixtures';

const FULL = `[${'='.repeat(50)}>]`;
const texts = (v: { lines: readonly { text: string }[] }) => v.lines.map((l) => l.text);

describe('stateBar', () => {
  it('fills the bar by the state\'s place from new to running, padding the state name', () => {
    expect(stateBar('running')).toBe(`running   ${FULL}`);
    expect(stateBar('new')).toBe(`new       [${'='.repeat(7)}>${' '.repeat(43)}]`);
    expect(stateBar('preparing')).toBe(`preparing [${'='.repeat(29)}>${' '.repeat(21)}]`);
    expect(stateBar('accepted')).toBe(stateBar('assigned')!.replace('assigned', 'accepted'));
  });

  it('has no bar for ended states', () => {
    expect(stateBar('failed')).toBeUndefined();
  });
});

describe('replicatedProgress', () => {
  it('shows one line per slot and converges when every replica runs', () => {
    const v = replicatedProgress(3, [makeTask({ slot: 1 }), makeTask({ slot: 2, state: 'preparing' }), makeTask({ slot: 3, state: 'pending' })]);
    expect(texts(v)).toEqual([
      'overall progress: 1 out of 3 tasks',
      `1/3: running   ${FULL}`,
      `2/3: ${stateBar('preparing')}`,
      `3/3: ${stateBar('pending')}`,
    ]);
    expect(v.converged).toBe(false);

    const done = replicatedProgress(3, [makeTask({ slot: 1 }), makeTask({ slot: 2 }), makeTask({ slot: 3 })]);
    expect(done.converged).toBe(true);
    expect(texts(done)).toEqual(['overall progress: 3 out of 3 tasks', `1/3: running   ${FULL}`, `2/3: running   ${FULL}`, `3/3: running   ${FULL}`, 'verify: Service converged']);
  });

  it('shows why a slot cannot be placed', () => {
    const v = replicatedProgress(1, [makeTask({ slot: 1, state: 'pending', message: 'pending task scheduling', err: 'no suitable node (constraint not met on 1 node)' })]);
    expect(texts(v)).toEqual(['overall progress: 0 out of 1 tasks', '1/1: no suitable node (constraint not met on 1 node)']);
  });

  it('shows the error of a failed task until its replacement starts, and the replacement after', () => {
    const failed = makeTask({ id: 'old', slot: 1, state: 'failed', desired: 'shutdown', err: 'task: non-zero exit (1)', createdAt: ago(20) });
    expect(texts(replicatedProgress(1, [failed]))).toEqual(['overall progress: 0 out of 1 tasks']);
    const held = makeTask({ id: 'new', slot: 1, state: 'ready', desired: 'ready', createdAt: ago(1) });
    expect(texts(replicatedProgress(1, [failed, held]))).toContain('1/1: task: non-zero exit (1)');
    const started = { ...held, desiredState: 'running' as const, status: { ...held.status, state: 'starting' as const } };
    expect(texts(replicatedProgress(1, [failed, started]))).toContain(`1/1: ${stateBar('starting')}`);
  });

  it('shows the error of a task wanted running that was rejected', () => {
    const v = replicatedProgress(1, [makeTask({ slot: 1, state: 'rejected', err: 'image not found' })]);
    expect(texts(v)).toContain('1/1: image not found');
    expect(v.converged).toBe(false);
  });

  it('numbers the slots in use in order, even when slot numbers have gaps', () => {
    const v = replicatedProgress(2, [makeTask({ slot: 2 }), makeTask({ slot: 5, state: 'new' }), makeTask({ slot: 3, desired: 'shutdown', state: 'shutdown' })]);
    expect(texts(v).slice(1)).toEqual([`1/2: running   ${FULL}`, `2/2: ${stateBar('new')}`]);
  });

  it('waits on a scale-down until the tasks told to stop have stopped', () => {
    const kept = makeTask({ slot: 1 });
    const stopping = makeTask({ slot: 2, desired: 'shutdown', state: 'running' });
    expect(replicatedProgress(1, [kept, stopping]).converged).toBe(false);
    expect(replicatedProgress(1, [kept, { ...stopping, status: { ...stopping.status, state: 'shutdown' } }]).converged).toBe(true);
  });

  it('does not converge with more tasks running than replicas', () => {
    expect(replicatedProgress(1, [makeTask({ slot: 1 }), makeTask({ slot: 2 })]).converged).toBe(false);
  });

  it('converges at once for zero replicas with nothing running', () => {
    const v = replicatedProgress(0, [makeTask({ slot: 1, desired: 'shutdown', state: 'shutdown' })]);
    expect(v.converged).toBe(true);
    expect(texts(v)).toEqual(['overall progress: 0 out of 0 tasks', 'verify: Service converged']);
  });
});

describe('globalProgress', () => {
  it('shows one line per node with a task and converges when all run', () => {
    const tasks = [makeTask({ nodeId: 'nodeaaaaaaaaaaaaaaaaaaaaa' }), makeTask({ nodeId: 'nodebbbbbbbbbbbbbbbbbbbbb', state: 'starting' })];
    const v = globalProgress(tasks, 2);
    expect(texts(v)).toEqual(['overall progress: 1 out of 2 tasks', `nodeaaaaaaaa: running   ${FULL}`, `nodebbbbbbbb: ${stateBar('starting')}`]);
    expect(v.converged).toBe(false);
    expect(globalProgress([tasks[0]], 2).converged).toBe(true);
  });

  it('waits for tasks while nodes are eligible, and converges when none is', () => {
    expect(globalProgress([], 2)).toEqual({ lines: [{ key: 'overall progress', text: 'overall progress: 0 out of 2 tasks' }], converged: false });
    expect(globalProgress([], 0).converged).toBe(true);
  });

  it('waits while a task on a drained node still runs', () => {
    const v = globalProgress([makeTask({ nodeId: 'n1' }), makeTask({ nodeId: 'n2', desired: 'shutdown' })], 1);
    expect(v.converged).toBe(false);
  });
});

describe('countEligibleNodes', () => {
  it('counts active, ready nodes that meet the constraints', () => {
    const nodes = [makeNode('n1', { role: 'manager' }), makeNode('n2', { labels: { zone: 'a' } }), makeNode('n3', { availability: 'drain', labels: { zone: 'a' } })];
    expect(countEligibleNodes(makeService('g', { global: true }).spec, nodes)).toBe(2);
    expect(countEligibleNodes(makeService('g', { global: true, constraints: ['node.labels.zone==a'] }).spec, nodes)).toBe(1);
    expect(countEligibleNodes(makeService('g', { global: true, constraints: ['node.role==worker', 'node.labels.zone!=a'] }).spec, nodes)).toBe(0);
    expect(countEligibleNodes(makeService('g', { global: true, constraints: ['node.unknown==x'] }).spec, nodes)).toBe(0);
  });
});

describe('progressRenderer', () => {
  const view1 = [
    { key: 'overall progress', text: 'overall progress: 0 out of 2 tasks' },
    { key: '1/2', text: '1/2: new' },
    { key: '2/2', text: '2/2: new' },
  ];
  const view2 = [
    { key: 'overall progress', text: 'overall progress: 0 out of 2 tasks' },
    { key: '1/2', text: '1/2: running' },
  ];

  it('prints only changed lines when the output is no terminal', () => {
    const out: string[] = [];
    const r = progressRenderer({ write: (s) => void out.push(s) });
    r.show(view1);
    r.show(view1);
    r.show(view2);
    expect(out.join('')).toBe('overall progress: 0 out of 2 tasks\n1/2: new\n2/2: new\n1/2: running\n');
  });

  it('redraws in place on a terminal', () => {
    const out: string[] = [];
    const r = progressRenderer({ write: (s) => void out.push(s), isTTY: true });
    r.show(view1);
    r.show(view2);
    expect(out[0]).toBe('\x1b[2Koverall progress: 0 out of 2 tasks\n\x1b[2K1/2: new\n\x1b[2K2/2: new\n\x1b[J');
    expect(out[1]).toBe('\x1b[3A\x1b[2Koverall progress: 0 out of 2 tasks\n\x1b[2K1/2: running\n\x1b[J');
  });
});

describe('rolloutProgress', () => {
  const v1 = makeService('web', { replicas: 2 });
  const v2 = { ...v1, specVersion: 2, spec: { ...v1.spec, task: { ...v1.spec.task, container: { ...v1.spec.task.container, image: 'busybox:2' } } } };
  const status = (state: UpdateStatus['state'], message: string, specVersion = 2): UpdateStatus => ({ state, message, startedAt: '', specVersion });
  const old = [makeTask({ slot: 1, id: 'o1' }), makeTask({ slot: 2, id: 'o2' })];
  const fresh = (slot: number, state: Task['status']['state'] = 'running') => makeTask({ slot, id: `n${slot}`, image: 'busybox:2', state });

  it('counts only the tasks of the new spec, then waits out the monitor period until the update completes', () => {
    const updating = { ...v2, updateStatus: status('updating', 'update in progress') };
    const early = rolloutProgress(updating, [...old, fresh(1, 'starting')], 0, 'update');
    expect(texts(early)).toEqual(['overall progress: 0 out of 2 tasks', `1/2: ${stateBar('starting')}`]);
    const verifying = rolloutProgress(updating, [fresh(1), fresh(2)], 0, 'update');
    expect(texts(verifying).at(-1)).toBe('verify: Waiting 5 seconds to verify that tasks are stable...');
    expect(verifying.converged).toBe(false);
    const done = rolloutProgress({ ...v2, updateStatus: status('completed', 'update completed') }, [fresh(1), fresh(2)], 0, 'update');
    expect(done).toMatchObject({ converged: true, failed: undefined });
  });

  it('fails a paused update, and an update that ended rolled back, saying why', () => {
    const paused = rolloutProgress({ ...v2, updateStatus: status('paused', 'update paused due to …') }, old, 0, 'update');
    expect(paused.failed?.message).toBe('service update paused: update paused due to …');
    const back = { ...v1, specVersion: 3, previousSpec: v2.spec };
    const rolling = rolloutProgress({ ...back, updateStatus: status('rollback_started', 'update rolled back due to …', 3) }, old, 0, 'update');
    expect(texts(rolling)[0]).toBe('rollback: update rolled back due to …');
    const rolled = rolloutProgress({ ...back, updateStatus: status('rollback_completed', 'rollback completed: update rolled back due to …', 3) }, old, 0, 'update');
    expect(rolled.failed?.message).toBe('service rolled back: rollback completed: update rolled back due to …');
    expect(rolloutProgress({ ...back, updateStatus: status('rollback_completed', 'rollback completed', 3) }, old, 0, 'rollback')).toMatchObject({ converged: true, failed: undefined });
  });
});
