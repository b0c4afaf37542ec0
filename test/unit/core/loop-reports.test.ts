import pino from 'pino';
import { ConflictError } from '../../../core/errors';
import { Hooks, type LoopPass, type SchedulingPass } from '../../../core/hooks';
import type { Scheduler } from '../../../core/scheduler/contract';
import { SchedulerLoop } from '../../../core/scheduler/scheduler-loop';
import type { ChangeEvent } from '../../../core/store/contract';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { ControlLoop } from '../../../core/util/control-loop';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode } from '../../helpers/nodes';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';

const silent = pino({ level: 'silent' });

/** A loop whose passes fail as often as `failures` says, first with a conflict. */
class FlakyLoop extends ControlLoop {
  constructor(
    store: ReplicatedStore,
    private failures: number,
  ) {
    super(store, silent, { name: 'flaky', retryMs: 1 });
  }
  protected keysFor(_e: ChangeEvent): Iterable<string> {
    return [];
  }
  protected async reconcile(): Promise<void> {
    if (this.failures-- > 0) throw new ConflictError('stale');
  }
}

describe('control loop reports', () => {
  let store: ReplicatedStore;
  let hooks: Hooks;
  let passes: LoopPass[];
  beforeEach(async () => {
    store = new ReplicatedStore(new MemoryLog());
    await store.start();
    hooks = new Hooks();
    passes = [];
    hooks.loops.pass.tap('test', (p) => void passes.push(p));
  });

  it('reports every pass on loops.pass once connected, failed ones too', async () => {
    const loop = new FlakyLoop(store, 1).reportTo(hooks);
    loop.start();
    await loop.idle();
    await loop.stop();
    expect(passes.map(({ loop, ok }) => ({ loop, ok }))).toEqual([
      { loop: 'flaky', ok: false },
      { loop: 'flaky', ok: true },
    ]);
    expect(passes.every((p) => p.durationMs >= 0 && p.durationMs < 1000)).toBe(true);
  });

  it('reports nothing unless connected, and survives a tap that throws', async () => {
    const quiet = new FlakyLoop(store, 0);
    quiet.start();
    await quiet.idle();
    await quiet.stop();
    expect(passes).toEqual([]);

    hooks.loops.pass.tap('broken', () => {
      throw new Error('boom');
    });
    const loop = new FlakyLoop(store, 0).reportTo(hooks);
    loop.start();
    await loop.idle();
    await loop.stop();
    expect(passes).toHaveLength(1);
  });

  it('the scheduler loop reports what it placed, how long it took to decide and what it left pending', async () => {
    const decided: SchedulingPass[] = [];
    hooks.scheduler.decided.tap('test', (p) => void decided.push(p));
    const web = makeService();
    await store.update((tx) => {
      tx.nodes.create(unstored(makeNode('n1')));
      tx.services.create(unstored(web));
      for (const id of ['t1', 't2', 't3']) tx.tasks.create(unstored(makeTask(web, id, { state: 'pending' })));
    });
    // Places every task but t3.
    const scheduler: Scheduler = { name: 'test', scheduleGroup: (tasks) => tasks.map((t) => (t.id === 't3' ? { taskId: t.id, reason: 'no suitable node' } : { taskId: t.id, nodeId: 'n1' })) };
    const loop = new SchedulerLoop(store, silent, scheduler).reportTo(hooks);
    loop.start();
    await loop.idle();
    await loop.stop();
    // The first pass places two; later ones (the writes woke the loop, t3 still pends) place none.
    expect(decided[0]).toEqual({ placed: 2, durationMs: expect.any(Number), pending: 1 });
    expect(decided.slice(1).map((p) => [p.placed, p.pending])).toEqual(decided.slice(1).map(() => [0, 1]));
    expect(passes.filter((p) => p.loop === 'scheduler' && p.ok).length).toBeGreaterThanOrEqual(1);
    expect(store.view((r) => r.tasks.all().map((t) => [t.id, t.status.state]))).toEqual([
      ['t1', 'assigned'],
      ['t2', 'assigned'],
      ['t3', 'pending'],
    ]);
  });
});
