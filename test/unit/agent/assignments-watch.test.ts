import { watchAssignments } from '../../../core/agent/assignments';
import type { AssignmentChange } from '../../../core/agent/contract';
import type { TaskState } from '../../../core/model/task-state';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';

describe('watchAssignments', () => {
  it("sends a node its tasks' placements, desired states and spec changes, not the statuses it reported itself", async () => {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const svc = makeService();
    await store.update((tx) => tx.tasks.create(unstored(makeTask(svc, 't1', { slot: 1, state: 'pending' }))));
    const seen: AssignmentChange[] = [];
    const stop = watchAssignments(store, 'n1', (c) => seen.push(c));
    const edit = (fn: (t: ReturnType<typeof makeTask>) => ReturnType<typeof makeTask>) => store.update((tx) => tx.tasks.update(fn(tx.tasks.get('t1')!)));
    const state = (s: TaskState) => edit((t) => ({ ...t, status: { ...t.status, state: s } }));

    await edit((t) => ({ ...t, nodeId: 'n1', status: { ...t.status, state: 'assigned' } }));
    await state('accepted');
    await state('starting');
    await state('running');
    await edit((t) => ({ ...t, desiredState: 'shutdown' }));
    await state('shutdown');
    await edit((t) => ({ ...t, spec: { ...t.spec, forceUpdate: 1 } }));
    stop();

    expect(seen[0]).toMatchObject({ full: true, tasks: [] });
    const sent = seen.slice(1).map((c) => c.tasks.map((t) => `${t.status.state}/${t.desiredState}`));
    // Placed, then asked to shut down, then a spec change: none of the node's own reports come back.
    expect(sent).toEqual([['assigned/running'], ['running/shutdown'], ['shutdown/shutdown']]);
  });
});
