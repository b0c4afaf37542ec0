import pino from 'pino';
import { Hooks } from '../../../core/hooks';
import { DEFAULT_UPDATE_CONFIG } from '../../../core/model/service-spec';
import { isTerminal } from '../../../core/model/task-state';
import type { Task, UpdateConfig } from '../../../core/model/types';
import { startOrchestrators, type Orchestrators } from '../../../core/orchestrator';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode, makeService, unstored } from './fixtures';

const silent = pino({ level: 'silent' });

/** Polls `check` every few ms until it holds; fails after `timeoutMs`. */
async function eventually(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('the updater on a store, with a fake agent', () => {
  let store: ReplicatedStore;
  let orchestrators: Orchestrators;
  let unwatch: () => void;
  /** Tasks of this image fail when they start. */
  let failingImage: string | undefined;
  /** Slots whose tasks each batch started, in order. */
  let starts: number[];

  beforeEach(async () => {
    store = new ReplicatedStore(new MemoryLog());
    await store.start();
    orchestrators = startOrchestrators(store, new Hooks(), silent);
    failingImage = undefined;
    starts = [];
    // The fake agent: runs what is desired running, stops what is desired shut down.
    unwatch = store.watch(() => setImmediate(() => void agentStep().catch(() => undefined)));
  });
  afterEach(async () => {
    unwatch();
    await orchestrators.stop();
  });

  /** Not placed yet: the fake agent runs it as the scheduler and the node would. */
  const waiting = (t: Task) => t.status.state === 'new' || t.status.state === 'pending';
  const todo = (t: Task) => (t.desiredState === 'running' && waiting(t)) || (t.desiredState === 'shutdown' && !isTerminal(t.status.state));
  const agentStep = async () => {
    if (!store.view((r) => r.tasks.all().some(todo))) return;
    await store.update((tx) => {
      for (const t of tx.tasks.all()) {
        const now = new Date().toISOString();
        if (t.desiredState === 'running' && waiting(t)) {
          const fails = t.spec.container.image === failingImage;
          if (!fails && t.slot !== undefined) starts.push(t.slot);
          tx.tasks.update({ ...t, status: { state: fails ? 'failed' : 'running', timestamp: now, message: '', ...(fails && { err: 'exit 1', exitCode: 1 }) } });
        } else if (t.desiredState === 'shutdown' && !isTerminal(t.status.state)) {
          tx.tasks.update({ ...t, status: { state: 'shutdown', timestamp: now, message: 'stopped' } });
        }
      }
    });
  };

  const tasks = () => store.view((r) => r.tasks.byService('svc'));
  const service = () => store.view((r) => r.services.get('svc')!);
  const liveRunning = () => tasks().filter((t) => t.desiredState === 'running' && t.status.state === 'running');
  const update = (config: Partial<UpdateConfig>, image = 'busybox:2') =>
    store.update((tx) => {
      const s = tx.services.get('svc')!;
      const restartPolicy = image === failingImage ? { ...s.spec.task.restartPolicy, condition: 'none' as const } : s.spec.task.restartPolicy;
      const task = { ...s.spec.task, restartPolicy, container: { ...s.spec.task.container, image } };
      tx.services.update({
        ...s,
        specVersion: s.specVersion + 1,
        previousSpec: s.spec,
        spec: { ...s.spec, task, updateConfig: { ...DEFAULT_UPDATE_CONFIG, monitorMs: 30, ...config }, rollbackConfig: { ...DEFAULT_UPDATE_CONFIG, monitorMs: 30 } },
      });
    });
  const startWith3 = async () => {
    await store.update((tx) => tx.services.create(unstored(makeService({ replicas: 3 }))));
    await eventually('3 running tasks', () => liveRunning().length === 3);
    starts = [];
  };
  const onV2 = (t: Task) => t.specVersion === 2;

  it('rolls every slot to the new spec one at a time, then completes', async () => {
    await startWith3();
    await update({ parallelism: 1 });
    await eventually('update completed', () => service().updateStatus?.state === 'completed');
    expect(liveRunning().map((t) => [t.slot, t.specVersion]).sort()).toEqual([[1, 2], [2, 2], [3, 2]]);
    expect(tasks().filter((t) => !onV2(t)).every((t) => t.desiredState === 'shutdown' && t.status.state === 'shutdown')).toBe(true);
    expect(starts).toEqual([1, 2, 3]);
    expect(service().updateStatus).toMatchObject({ message: 'update completed', specVersion: 2 });
  });

  it('rolls start-first without a second task per slot from the other loops', async () => {
    await startWith3();
    await update({ parallelism: 2, order: 'start-first' });
    await eventually('update completed', () => service().updateStatus?.state === 'completed');
    expect(liveRunning().map((t) => [t.slot, t.specVersion]).sort()).toEqual([[1, 2], [2, 2], [3, 2]]);
    expect(tasks().filter(onV2)).toHaveLength(3);
  });

  it('does not roll tasks on a replicas-only change', async () => {
    await startWith3();
    await store.update((tx) => {
      const s = tx.services.get('svc')!;
      tx.services.update({ ...s, specVersion: 2, spec: { ...s.spec, mode: { replicated: { replicas: 4 } } } });
    });
    await eventually('4 running tasks', () => liveRunning().length === 4);
    await orchestrators.idle();
    expect(tasks().filter((t) => t.desiredState === 'shutdown')).toEqual([]);
    expect(service().updateStatus).toBeUndefined();
  });

  it('pauses on a failing new task (not restarted here) and replaces no further slot', async () => {
    await startWith3();
    failingImage = 'broken';
    await update({ parallelism: 1, monitorMs: 5000 }, 'broken');
    await eventually('update paused', () => service().updateStatus?.state === 'paused');
    expect(service().updateStatus!.message).toMatch(/^update paused due to failure or early termination of task \S+: exit 1$/);
    await orchestrators.idle();
    const oldRunning = liveRunning().filter((t) => !onV2(t)).map((t) => t.slot);
    expect(oldRunning.sort()).toEqual([2, 3]);
  });

  it('rolls back on a failing new task with failure action rollback: every slot ends on the old spec', async () => {
    await startWith3();
    failingImage = 'broken';
    await update({ parallelism: 1, monitorMs: 5000, failureAction: 'rollback' }, 'broken');
    await eventually('rollback completed', () => service().updateStatus?.state === 'rollback_completed', 8000);
    expect(liveRunning().map((t) => [t.slot, t.spec.container.image]).sort()).toEqual([
      [1, 'busybox'],
      [2, 'busybox'],
      [3, 'busybox'],
    ]);
    expect(service()).toMatchObject({ specVersion: 3, spec: { task: { container: { image: 'busybox' } } }, previousSpec: { task: { container: { image: 'broken' } } } });
    expect(service().updateStatus!.message).toMatch(/^rollback completed: update rolled back due to failure or early termination of task \S+: exit 1$/);
  });

  it('rolls a global service onto the new spec, one node at a time', async () => {
    await store.update((tx) => {
      for (const id of ['n1', 'n2']) tx.nodes.create(unstored(makeNode(id)));
      tx.services.create(unstored(makeService({ global: true })));
    });
    await eventually('2 running tasks', () => liveRunning().length === 2);
    await update({ parallelism: 1, monitorMs: 0 });
    await eventually('update completed', () => service().updateStatus?.state === 'completed');
    expect(liveRunning().map((t) => [t.nodeId, t.specVersion]).sort()).toEqual([
      ['n1', 2],
      ['n2', 2],
    ]);
  });
});
