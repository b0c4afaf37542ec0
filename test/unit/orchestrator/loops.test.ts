import pino from 'pino';
import { Hooks } from '../../../core/hooks';
import type { TaskState } from '../../../core/model/task-state';
import type { Service, Task } from '../../../core/model/types';
import { startOrchestrators, type Orchestrators } from '../../../core/orchestrator';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode, makeService, unstored } from './fixtures';

const RESTART_DELAY_MS = 50;
const silent = pino({ level: 'silent' });

/** Polls `check` every few ms until it holds; fails after `timeoutMs`. */
async function eventually(what: string, check: () => boolean, timeoutMs = 2000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return Date.now() - start;
}

describe('the orchestrator loops on a store', () => {
  let store: ReplicatedStore;
  let orchestrators: Orchestrators;
  const hooks = new Hooks();
  hooks.constraints.key.for('node.labels').tap('test', (node, key) => node.spec.labels[key.slice('node.labels.'.length)]);

  beforeEach(async () => {
    store = new ReplicatedStore(new MemoryLog());
    await store.start();
    orchestrators = startOrchestrators(store, hooks, silent);
  });
  afterEach(() => orchestrators.stop());

  const tasks = () => store.view((r) => r.tasks.byService('svc'));
  const live = () => tasks().filter((t) => t.desiredState === 'running' || t.desiredState === 'ready');
  const createService = (s: Service) => store.update((tx) => tx.services.create(unstored(s)));
  const updateService = (change: (s: Service) => Service) => store.update((tx) => tx.services.update(change(tx.services.get('svc')!)));
  /** Plays the agent: moves a task's observed state. */
  const report = (id: string, state: TaskState, extra: Partial<Task['status']> = {}) =>
    store.update((tx) => {
      const t = tx.tasks.get(id)!;
      tx.tasks.update({ ...t, status: { ...t.status, state, timestamp: new Date().toISOString(), ...extra } });
    });
  const setReplicas = (replicas: number) => updateService((s) => ({ ...s, specVersion: s.specVersion + 1, spec: { ...s.spec, mode: { replicated: { replicas } } } }));

  it('creates the tasks of a new replicated service', async () => {
    await createService(makeService({ replicas: 3 }));
    await orchestrators.idle();
    expect(tasks().map((t) => [t.slot, t.desiredState, t.status.state]).sort()).toEqual([
      [1, 'running', 'pending'],
      [2, 'running', 'pending'],
      [3, 'running', 'pending'],
    ]);
  });

  it('replaces a failed task in its slot at once, held at READY, then raises it after the delay', async () => {
    await createService(makeService({ replicas: 3, restart: { delayMs: RESTART_DELAY_MS } }));
    await orchestrators.idle();
    const victim = tasks().find((t) => t.slot === 2)!;
    await report(victim.id, 'failed', { exitCode: 1 });
    const failedAt = Date.now();
    await eventually('a replacement', () => live().length === 3 && !live().some((t) => t.id === victim.id), 50);
    expect(Date.now() - failedAt).toBeLessThan(50);

    const replacement = live().find((t) => t.slot === 2)!;
    expect(replacement).toMatchObject({ desiredState: 'ready', status: { state: 'pending' }, restartHistory: [expect.any(String)] });
    expect(store.view((r) => r.tasks.get(victim.id)!.desiredState)).toBe('shutdown');

    await eventually('the replacement raised to running', () => store.view((r) => r.tasks.get(replacement.id)!.desiredState) === 'running');
    const raised = store.view((r) => r.tasks.get(replacement.id)!);
    const waited = Date.parse(raised.meta.updatedAt) - Date.parse(raised.meta.createdAt);
    expect(waited).toBeGreaterThanOrEqual(RESTART_DELAY_MS);
    expect(waited).toBeLessThan(RESTART_DELAY_MS + 40);
    await orchestrators.idle();
    expect(live()).toHaveLength(3);
  });

  it('keeps a restart delay across a restart of the loops', async () => {
    const delayMs = 200;
    await createService(makeService({ replicas: 1, restart: { delayMs } }));
    await orchestrators.idle();
    await report(tasks()[0].id, 'failed');
    await orchestrators.idle();
    const replacement = live()[0];
    expect(replacement.desiredState).toBe('ready');
    await orchestrators.stop();
    await new Promise((r) => setTimeout(r, 100));
    orchestrators = startOrchestrators(store, hooks, silent);
    await eventually('the replacement raised', () => store.view((r) => r.tasks.get(replacement.id)!.desiredState) === 'running');
    const raised = store.view((r) => r.tasks.get(replacement.id)!);
    expect(Date.parse(raised.meta.updatedAt) - Date.parse(raised.meta.createdAt)).toBeLessThan(delayMs + 60);
  });

  it('does not restart a task past maxAttempts, and does not refill its slot', async () => {
    await createService(makeService({ replicas: 1, restart: { maxAttempts: 1 } }));
    await orchestrators.idle();
    await report(tasks()[0].id, 'failed');
    await orchestrators.idle();
    const second = live()[0];
    expect(second.restartHistory).toHaveLength(1);
    await report(second.id, 'failed');
    await orchestrators.idle();
    expect(live().map((t) => [t.id, t.status.state])).toEqual([[second.id, 'failed']]);
    expect(tasks()).toHaveLength(2);
  });

  it('scales down to 1 and back up to the lowest free slots', async () => {
    await createService(makeService({ replicas: 3 }));
    await orchestrators.idle();
    await setReplicas(1);
    await orchestrators.idle();
    expect(live()).toHaveLength(1);
    expect(tasks().filter((t) => t.desiredState === 'shutdown')).toHaveLength(2);
    const kept = live()[0].slot;
    await setReplicas(2);
    await orchestrators.idle();
    expect(live().map((t) => t.slot).sort()).toEqual([kept, kept === 1 ? 2 : 1].sort());
  });

  it('marks the tasks of a deleted service for removal and reaps them once stopped', async () => {
    await createService(makeService({ replicas: 2 }));
    await orchestrators.idle();
    const [a] = tasks();
    await report(a.id, 'running');
    await store.update((tx) => tx.services.delete('svc'));
    await orchestrators.idle();
    // The other task never left NEW, so it went at once; `a` waits until its agent stops it.
    expect(tasks().map((t) => [t.id, t.desiredState])).toEqual([[a.id, 'remove']]);
    await report(a.id, 'shutdown');
    await orchestrators.idle();
    expect(tasks()).toEqual([]);
  });

  it('keeps the task history limit of the cluster per slot', async () => {
    await store.update((tx) => tx.clusters.create({ id: 'c', name: 'default', settings: { taskHistoryLimit: 2, dispatcherHeartbeatMs: 5000 } }));
    await createService(makeService({ replicas: 1 }));
    await orchestrators.idle();
    for (let i = 0; i < 4; i++) {
      await report(live()[0].id, 'failed');
      await orchestrators.idle();
    }
    expect(live()).toHaveLength(1);
    expect(tasks().filter((t) => t.desiredState === 'shutdown')).toHaveLength(2);
  });

  it('moves a task off a drained node into the same slot', async () => {
    await store.update((tx) => tx.nodes.create(unstored(makeNode('n1'))));
    await createService(makeService({ replicas: 1 }));
    await orchestrators.idle();
    const [t] = tasks();
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get(t.id)!, nodeId: 'n1', status: { ...t.status, state: 'running' } }));
    await store.update((tx) => {
      const n = tx.nodes.get('n1')!;
      tx.nodes.update({ ...n, spec: { ...n.spec, availability: 'drain' } });
    });
    await orchestrators.idle();
    expect(live().map((x) => [x.slot, x.nodeId, x.desiredState])).toEqual([[1, undefined, 'running']]);
    expect(store.view((r) => r.tasks.get(t.id)!.desiredState)).toBe('shutdown');
  });

  it('moves a task assigned to a node after the node was drained (the node change came first)', async () => {
    await store.update((tx) => {
      tx.nodes.create(unstored(makeNode('n1')));
      tx.nodes.create(unstored(makeNode('n2')));
    });
    await createService(makeService({ replicas: 2 }));
    await orchestrators.idle();
    const [a, b] = tasks();
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get(a.id)!, nodeId: 'n2', status: { ...a.status, state: 'assigned' } }));
    await store.update((tx) => {
      const n = tx.nodes.get('n1')!;
      tx.nodes.update({ ...n, spec: { ...n.spec, availability: 'drain' } });
    });
    await orchestrators.idle();
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get(b.id)!, nodeId: 'n1', status: { ...b.status, state: 'assigned' } }));
    await orchestrators.idle();
    expect(store.view((r) => [r.tasks.get(a.id)!.desiredState, r.tasks.get(b.id)!.desiredState])).toEqual(['running', 'shutdown']);
    expect(live().map((x) => [x.slot, x.nodeId]).sort()).toEqual([
      [a.slot, 'n2'],
      [b.slot, undefined],
    ].sort());
  });

  it('moves a task off a node that went DOWN into the same slot; the DOWN node keeps its global task', async () => {
    await store.update((tx) => tx.nodes.create(unstored(makeNode('n1'))));
    await createService(makeService({ replicas: 1 }));
    const global = makeService({ global: true });
    await store.update((tx) => tx.services.create(unstored({ ...global, id: 'glob', spec: { ...global.spec, name: 'agent' } })));
    await orchestrators.idle();
    const [t] = tasks();
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get(t.id)!, nodeId: 'n1', status: { ...t.status, state: 'running' } }));
    await orchestrators.idle();
    const [g] = store.view((r) => r.tasks.byService('glob'));
    expect([g.nodeId, g.desiredState]).toEqual(['n1', 'running']);
    await store.update((tx) => {
      const n = tx.nodes.get('n1')!;
      tx.nodes.update({ ...n, status: { ...n.status, state: 'down', message: 'heartbeat failure' } });
    });
    await orchestrators.idle();
    expect(live().map((x) => [x.slot, x.nodeId, x.desiredState])).toEqual([[1, undefined, 'running']]);
    expect(store.view((r) => r.tasks.get(t.id)!.desiredState)).toBe('shutdown');
    expect(store.view((r) => r.tasks.byService('glob')).map((x) => [x.id, x.desiredState])).toEqual([[g.id, 'running']]);
  });

  it('runs a global service on each eligible node and follows node changes', async () => {
    await store.update((tx) => {
      tx.nodes.create(unstored(makeNode('n1', { labels: { zone: 'a' } })));
      tx.nodes.create(unstored(makeNode('n2', { labels: { zone: 'b' } })));
    });
    await createService(makeService({ global: true, constraints: ['node.labels.zone==a'] }));
    await orchestrators.idle();
    expect(live().map((t) => t.nodeId)).toEqual(['n1']);

    await store.update((tx) => {
      const n = tx.nodes.get('n2')!;
      tx.nodes.update({ ...n, spec: { ...n.spec, labels: { zone: 'a' } } });
      tx.nodes.create(unstored(makeNode('n3', { labels: { zone: 'a' } })));
    });
    await orchestrators.idle();
    expect(live().map((t) => t.nodeId).sort()).toEqual(['n1', 'n2', 'n3']);

    await store.update((tx) => {
      const n = tx.nodes.get('n1')!;
      tx.nodes.update({ ...n, spec: { ...n.spec, availability: 'drain' } });
      tx.nodes.delete('n3');
    });
    await orchestrators.idle();
    expect(live().map((t) => t.nodeId)).toEqual(['n2']);
  });

  it('creates only what is missing after a restart of the loops', async () => {
    await createService(makeService({ replicas: 2 }));
    await orchestrators.idle();
    const before = tasks().map((t) => t.id).sort();
    await orchestrators.stop();
    orchestrators = startOrchestrators(store, hooks, silent);
    await orchestrators.idle();
    expect(tasks().map((t) => t.id).sort()).toEqual(before);
  });
});
