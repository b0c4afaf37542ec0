import pino from 'pino';
import type { Scheduler } from '../../../core/scheduler/contract';
import { SchedulerLoop } from '../../../core/scheduler/scheduler-loop';
import { stillStopping } from '../../../core/orchestrator/stopping';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode } from '../../helpers/nodes';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';

const silent = pino({ level: 'silent' });

describe('a task asked to stop before it was placed', () => {
  it('is marked SHUTDOWN by the scheduler loop and never placed', async () => {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const web = makeService({ replicas: 2 });
    await store.update((tx) => {
      tx.nodes.create(unstored(makeNode('n1')));
      tx.services.create(unstored(web));
      tx.tasks.create(unstored(makeTask(web, 'gone', { slot: 1, state: 'pending', desired: 'shutdown' })));
      tx.tasks.create(unstored(makeTask(web, 'kept', { slot: 2, state: 'pending' })));
    });
    const everywhere: Scheduler = { name: 'n1', scheduleGroup: (tasks) => tasks.map((t) => ({ taskId: t.id, nodeId: 'n1' })) };
    const loop = new SchedulerLoop(store, silent, everywhere);
    loop.start();
    await loop.idle();
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get('kept')!, desiredState: 'shutdown' }));
    await loop.idle();
    await loop.stop();
    const [gone, kept] = store.view((r) => ['gone', 'kept'].map((id) => r.tasks.get(id)!));
    expect(gone.status).toMatchObject({ state: 'shutdown', message: 'shut down before it was placed' });
    expect(gone.nodeId).toBeUndefined();
    expect(kept.status.state).toBe('assigned');
  });

  it('is not waited for as still stopping', () => {
    const web = makeService();
    const down = new Set<string>();
    expect(stillStopping(makeTask(web, 'a', { state: 'pending', desired: 'shutdown' }), down)).toBe(false);
    expect(stillStopping(makeTask(web, 'b', { state: 'new', desired: 'shutdown' }), down)).toBe(false);
    expect(stillStopping(makeTask(web, 'c', { state: 'assigned', nodeId: 'n1', desired: 'shutdown' }), down)).toBe(true);
    expect(stillStopping(makeTask(web, 'd', { state: 'running', nodeId: 'n1', desired: 'shutdown' }), new Set(['n1']))).toBe(false);
  });
});
