import type { TaskState } from '../../../core/model/task-state';
import type { StoreReader } from '../../../core/store/contract';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';

/** What countsOf should say, counted from the service's tasks. */
const counted = (r: StoreReader, id: string) => {
  const live = r.tasks.byService(id).filter((t) => t.desiredState === 'running');
  return { live: live.length, running: live.filter((t) => t.status.state === 'running').length };
};

describe("the store's task counts per service", () => {
  it('follow every create, update, move between services and delete, in the store and inside a transaction', async () => {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const services = ['a', 'b', 'c'].map((id) => ({ ...makeService(), id }));
    const states: TaskState[] = ['pending', 'assigned', 'running', 'failed', 'shutdown'];
    let seed = 11;
    const random = () => (seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    for (let step = 0; step < 400; step++) {
      await store.update((tx) => {
        const tasks = tx.tasks.all();
        const roll = random();
        if (roll < 0.4 || tasks.length === 0) tx.tasks.create(unstored(makeTask(pick(services), `t${step}`, { slot: step, state: pick(states), desired: random() < 0.8 ? 'running' : 'shutdown' })));
        else if (roll < 0.9) {
          const t = pick(tasks);
          tx.tasks.update({ ...t, serviceId: random() < 0.1 ? pick(services).id : t.serviceId, desiredState: random() < 0.2 ? 'shutdown' : t.desiredState, status: { ...t.status, state: pick(states) } });
        } else tx.tasks.delete(pick(tasks).id);
        for (const s of services) expect(tx.tasks.countsOf(s.id)).toEqual(counted(tx, s.id));
      });
      store.view((r) => {
        for (const s of services) expect(r.tasks.countsOf(s.id)).toEqual(counted(r, s.id));
      });
    }
    expect(store.view((r) => services.some((s) => r.tasks.countsOf(s.id).running > 0))).toBe(true);
  });
});
