import { DEFAULT_UPDATE_CONFIG, parseServiceSpec } from '../../../core/model/service-spec';
import type { Service, Task, UpdateConfig } from '../../../core/model/types';
import { matchesService, planUpdate } from '../../../core/orchestrator/updater-plan';
import { at, created, makeService, makeTask, summary, T0 } from './fixtures';

/** `service` at its next spec version with `env` set (and the given update config). */
function changed(service: Service, config: Partial<UpdateConfig> = {}, env = ['X=1']): Service {
  const task = { ...service.spec.task, container: { ...service.spec.task.container, env } };
  return { ...service, specVersion: service.specVersion + 1, spec: { ...service.spec, task, updateConfig: { ...DEFAULT_UPDATE_CONFIG, ...config } } };
}

/** A task of the updated spec, as the updater made it after the update started at T0. */
function fresh(service: Service, id: string, slot: number, o: Parameters<typeof makeTask>[2] = {}): Task {
  return makeTask(service, id, { slot, createdAt: at(10), ...o });
}

const updating = (s: Service): Service => ({ ...s, updateStatus: { state: 'updating', startedAt: T0.toISOString(), message: 'update in progress', specVersion: s.specVersion } });

describe('matchesService', () => {
  const v1 = makeService({ replicas: 3 });
  it('keeps a task whose TaskSpec is unchanged, whatever the spec version', () => {
    const scaled = { ...v1, specVersion: 2, spec: { ...v1.spec, mode: { replicated: { replicas: 5 } } } };
    expect(matchesService(makeTask(v1, 'a', { slot: 1 }), scaled)).toBe(true);
  });
  it('finds a task dirty when its TaskSpec, ports or forceUpdate differ at a later spec version', () => {
    const task = makeTask(v1, 'a', { slot: 1 });
    expect(matchesService(task, changed(v1))).toBe(false);
    expect(matchesService(task, { ...v1, specVersion: 2, spec: { ...v1.spec, task: { ...v1.spec.task, forceUpdate: 1 } } })).toBe(false);
    expect(matchesService(task, { ...v1, specVersion: 2, endpoint: { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }] } })).toBe(false);
  });
  it('takes a task made at the service\'s current spec version as matching without comparing (specs and ports change only with the version)', () => {
    const task = makeTask(v1, 'a', { slot: 1 });
    const sameVersion = { ...v1, spec: { ...v1.spec, task: { ...v1.spec.task, forceUpdate: 1 } } };
    expect(matchesService(task, sameVersion)).toBe(true);
  });
});

describe('planUpdate', () => {
  const v1 = makeService({ replicas: 3 });
  const old = [1, 2, 3].map((slot) => makeTask(v1, `old${slot}`, { slot }));

  it('does not roll tasks when only the replicas changed', () => {
    const scaled = { ...v1, specVersion: 2, spec: { ...v1.spec, mode: { replicated: { replicas: 5 } } } };
    expect(planUpdate(scaled, old, at(0))).toEqual({ changes: [] });
  });

  it('stop-first, parallelism 1: starts the update and replaces the lowest slot in one step', () => {
    const plan = planUpdate(changed(v1), old, at(0));
    expect(summary(plan.changes)).toEqual(['old1→shutdown+new']);
    expect(created(plan.changes)[0]).toMatchObject({ slot: 1, specVersion: 2, desiredState: 'ready', spec: { container: { env: ['X=1'] } } });
    expect(plan.status).toMatchObject({ state: 'updating', specVersion: 2, message: 'update in progress' });
  });

  it('stop-first raises the held replacement once the old task stopped, not before', () => {
    const v2 = updating(changed(v1));
    const held = fresh(v2, 'new1', 1, { state: 'new', desired: 'ready' });
    const stopping = { ...old[0], desiredState: 'shutdown' as const };
    expect(planUpdate(v2, [stopping, held, old[1], old[2]], at(20)).changes).toEqual([]);
    const stopped = { ...stopping, status: { ...stopping.status, state: 'shutdown' as const } };
    expect(summary(planUpdate(v2, [stopped, held, old[1], old[2]], at(20)).changes)).toEqual(['new1→running']);
    const restartHeld = { ...held, restartHistory: [T0.toISOString()] };
    expect(planUpdate(v2, [stopped, restartHeld, old[1], old[2]], at(20)).changes).toEqual([]);
  });

  it('does not wait for an old task on a DOWN node to stop before raising its replacement', () => {
    const v2 = updating(changed(v1));
    const held = fresh(v2, 'new1', 1, { state: 'new', desired: 'ready' });
    const lost = { ...old[0], nodeId: 'gone', desiredState: 'shutdown' as const };
    expect(planUpdate(v2, [lost, held, old[1], old[2]], at(20)).changes).toEqual([]);
    expect(summary(planUpdate(v2, [lost, held, old[1], old[2]], at(20), new Set(['gone'])).changes)).toEqual(['new1→running']);
  });

  it('parallelism 2 replaces two slots at a time; 0 replaces all at once', () => {
    expect(summary(planUpdate(changed(v1, { parallelism: 2 }), old, at(0)).changes)).toEqual(['old1→shutdown+new', 'old2→shutdown+new']);
    expect(summary(planUpdate(changed(v1, { parallelism: 0 }), old, at(0)).changes)).toHaveLength(3);
  });

  it('start-first creates the new task beside the old, and shuts the old down once the new one runs', () => {
    const v2 = updating(changed(v1, { order: 'start-first' }));
    expect(summary(planUpdate(changed(v1, { order: 'start-first' }), old, at(0)).changes)).toEqual(['create 1']);
    const starting = fresh(v2, 'new1', 1, { state: 'starting' });
    expect(planUpdate(v2, [...old, starting], at(20)).changes).toEqual([]);
    const running = fresh(v2, 'new1', 1);
    // With no delay, the next slot's batch starts in the same step.
    expect(summary(planUpdate(v2, [...old, running], at(20)).changes)).toEqual(['old1→shutdown', 'create 2']);
  });

  it('waits for the batch to run, then for the delay, before the next batch', () => {
    const v2 = updating(changed(v1, { delayMs: 1000 }));
    const stopped = { ...old[0], desiredState: 'shutdown' as const };
    const starting = fresh(v2, 'new1', 1, { state: 'starting' });
    expect(planUpdate(v2, [stopped, starting, old[1], old[2]], at(20)).changes).toEqual([]);
    const running = fresh(v2, 'new1', 1); // status timestamp T0: it started at T0
    expect(planUpdate(v2, [stopped, running, old[1], old[2]], at(500))).toEqual({ changes: [], status: undefined, wakeAt: at(1000).getTime() });
    expect(summary(planUpdate(v2, [stopped, running, old[1], old[2]], at(1000)).changes)).toEqual(['old2→shutdown+new']);
  });

  it('completes once no slot is dirty and the new tasks ran for the monitor period', () => {
    const v2 = updating(changed(v1));
    const done = [1, 2, 3].map((slot) => fresh(v2, `new${slot}`, slot));
    expect(planUpdate(v2, done, at(100)).wakeAt).toBe(at(5000).getTime());
    expect(planUpdate(v2, done, at(5000)).status).toMatchObject({ state: 'completed', message: 'update completed', completedAt: at(5000).toISOString() });
  });

  it('leaves tasks that already match alone', () => {
    const v2 = changed(v1);
    const plan = planUpdate(v2, [makeTask(v2, 'n1', { slot: 1 }), old[1], old[2]], at(0));
    expect(summary(plan.changes)).toEqual(['old2→shutdown+new']);
  });

  it('pauses on a new task that failed within the monitor period, naming it', () => {
    const v2 = updating(changed(v1));
    const failed = fresh(v2, 'new1', 1, { state: 'failed', desired: 'shutdown' });
    const failedTask = { ...failed, status: { ...failed.status, timestamp: at(1000).toISOString(), err: 'exit 1' } };
    const plan = planUpdate(v2, [failedTask, fresh(v2, 'retry1', 1, { state: 'starting' }), old[1], old[2]], at(1000));
    expect(plan.changes).toEqual([]);
    expect(plan.status).toMatchObject({ state: 'paused', message: 'update paused due to failure or early termination of task new1: exit 1' });
    expect(planUpdate({ ...v2, updateStatus: plan.status }, [failedTask, old[1], old[2]], at(2000))).toEqual({ changes: [] });
  });

  it('carries on past failures within maxFailureRatio, or with failureAction continue', () => {
    const failed = (s: Service) => ({ ...fresh(s, 'new1', 1, { state: 'failed', desired: 'shutdown' }) });
    for (const config of [{ maxFailureRatio: 0.5 }, { failureAction: 'continue' as const }]) {
      const v2 = updating(changed(v1, config));
      const plan = planUpdate(v2, [failed(v2), fresh(v2, 'retry1', 1), old[1], old[2]], at(6000));
      expect(summary(plan.changes)).toEqual(['old2→shutdown+new']);
    }
  });

  it('reads an update config with defaults and names a bad field', () => {
    const base = { name: 'web', task: { container: { image: 'busybox' } } };
    expect(parseServiceSpec({ ...base, updateConfig: { parallelism: 2 } }).updateConfig).toEqual({ ...DEFAULT_UPDATE_CONFIG, parallelism: 2 });
    expect(() => parseServiceSpec({ ...base, updateConfig: { order: 'sideways' } })).toThrow(/updateConfig\.order/);
    expect(() => parseServiceSpec({ ...base, updateConfig: { maxFailureRatio: 2 } })).toThrow(/updateConfig\.maxFailureRatio/);
  });

  it('measures a failure from the task\'s start: one that ran past the monitor period before failing is no failure', () => {
    const v2 = updating(changed(v1, { monitorMs: 5000 }));
    const ranThenFailed = (startedAt: number, failedAt: number) => {
      const t = fresh(v2, 'new1', 1, { state: 'failed' });
      return { ...t, status: { ...t.status, startedAt: at(startedAt).toISOString(), timestamp: at(failedAt).toISOString() } };
    };
    const retry = fresh(v2, 'retry1', 1, { state: 'starting' });
    expect(planUpdate(v2, [ranThenFailed(8000, 12000), retry, old[1], old[2]], at(12000)).status).toMatchObject({ state: 'paused' });
    expect(planUpdate(v2, [ranThenFailed(1000, 12000), retry, old[1], old[2]], at(12000)).status).toBeUndefined();
  });

  it('failure action rollback asks for a rollback, naming the task', () => {
    const v2 = updating(changed(v1, { failureAction: 'rollback' }));
    const failed = fresh(v2, 'new1', 1, { state: 'failed' });
    const plan = planUpdate(v2, [{ ...failed, status: { ...failed.status, err: 'exit 1' } }, old[1], old[2]], at(1000));
    expect(plan).toEqual({ changes: [], rollback: 'update rolled back due to failure or early termination of task new1: exit 1' });
  });

  describe('a rollback under way', () => {
    // v2 failed; the rollback put v1's spec back as version 3, its previous spec v2's (with its rollback config).
    const v2 = changed(v1, {}, ['X=bad']);
    const rollingBack = (config: Partial<UpdateConfig>): Service => ({
      ...v1,
      specVersion: 3,
      previousSpec: { ...v2.spec, rollbackConfig: { ...DEFAULT_UPDATE_CONFIG, ...config } },
      updateStatus: { state: 'rollback_started', startedAt: T0.toISOString(), message: 'update rolled back due to …', specVersion: 3 },
    });
    const bad = [1, 2].map((slot) => makeTask(v2, `bad${slot}`, { slot }));

    it('replaces the tasks of the failed spec with the rollback config of the spec it leaves', () => {
      const plan = planUpdate(rollingBack({ parallelism: 2 }), [...bad, old[2]], at(10));
      expect(summary(plan.changes)).toEqual(['bad1→shutdown+new', 'bad2→shutdown+new']);
      expect(created(plan.changes)[0]).toMatchObject({ slot: 1, specVersion: 3, spec: { container: { env: [] } } });
      expect(plan.status).toBeUndefined();
    });

    it('completes as rollback_completed', () => {
      const s = rollingBack({ monitorMs: 0 });
      const back = [1, 2, 3].map((slot) => fresh(s, `back${slot}`, slot));
      expect(planUpdate(s, back, at(100)).status).toMatchObject({ state: 'rollback_completed', message: 'rollback completed: update rolled back due to …' });
    });

    it('pauses as rollback_paused when its own tasks fail', () => {
      const s = rollingBack({});
      const failed = fresh(s, 'back1', 1, { state: 'failed' });
      const plan = planUpdate(s, [failed, bad[1], old[2]], at(1000));
      expect(plan.status).toMatchObject({ state: 'rollback_paused', message: expect.stringMatching(/^rollback paused due to failure or early termination of task back1/) });
      expect(planUpdate({ ...s, updateStatus: plan.status }, [failed, bad[1], old[2]], at(2000))).toEqual({ changes: [] });
    });
  });

  it('rolls a global service node by node, each new task on its node', () => {
    const g1: Service = { ...v1, spec: { ...v1.spec, mode: { global: {} } } };
    const onNodes = ['n1', 'n2'].map((nodeId) => makeTask(g1, `g-${nodeId}`, { nodeId }));
    const plan = planUpdate(changed(g1), onNodes, at(0));
    expect(summary(plan.changes)).toEqual(['g-n1→shutdown+new']);
    expect(created(plan.changes)[0]).toMatchObject({ nodeId: 'n1', desiredState: 'ready' });
    expect(created(plan.changes)[0].slot).toBeUndefined();
  });

  it('reads a rollback config; it cannot itself roll back', () => {
    const base = { name: 'web', task: { container: { image: 'busybox' } } };
    expect(parseServiceSpec({ ...base, rollbackConfig: { parallelism: 0 } }).rollbackConfig).toEqual({ ...DEFAULT_UPDATE_CONFIG, parallelism: 0 });
    expect(parseServiceSpec({ ...base, updateConfig: { failureAction: 'rollback' } }).updateConfig?.failureAction).toBe('rollback');
    expect(() => parseServiceSpec({ ...base, rollbackConfig: { failureAction: 'rollback' } })).toThrow(/rollbackConfig\.failureAction: expected one of pause, continue/);
  });
});
