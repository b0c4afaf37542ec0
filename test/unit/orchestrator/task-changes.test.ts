import { replicasOf } from '../../../core/model/service-spec';
import { planReplicated } from '../../../core/orchestrator/replicated';
import { writePlans } from '../../../core/orchestrator/task-changes';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import type { StoreReader } from '../../../core/store/contract';
import { MemoryLog } from '../../helpers/memory-log';
import { T0, makeNode, makeService, makeTask, unstored } from './fixtures';

async function newStore() {
  const log = new MemoryLog();
  const store = new ReplicatedStore(log);
  await store.start();
  return { store, log };
}

const planService = (r: StoreReader, id: string) => planReplicated(r.services.get(id)!, r.tasks.byService(id), r.nodes, T0);
const live = (r: StoreReader) => r.tasks.all().filter((t) => t.desiredState === 'running');

describe('writePlans', () => {
  it('splits a big plan into transactions of at most 1,000 changes, planning afresh each time', async () => {
    const { store, log } = await newStore();
    const svc = unstored(makeService({ replicas: 2250 }));
    await store.update((tx) => tx.services.create(svc));
    const before = log.proposals;
    await writePlans(store, ['svc'], planService);
    expect(log.proposals - before).toBe(3);
    const slots = store.view((r) => live(r).map((t) => t.slot));
    expect(new Set(slots).size).toBe(replicasOf(svc.spec));
  });

  it('puts many small plans in one transaction', async () => {
    const { store, log } = await newStore();
    const svc = unstored(makeService({ replicas: 2 }));
    await store.update((tx) => {
      tx.services.create(svc);
      tx.services.create({ ...svc, id: 'svc2', spec: { ...svc.spec, name: 'web2' } });
    });
    const before = log.proposals;
    await writePlans(store, ['svc', 'svc2'], planService);
    expect(log.proposals - before).toBe(1);
    expect(store.view((r) => r.tasks.size)).toBe(4);
  });

  it('never splits a shutdown from the replacement it goes with', async () => {
    const { store, log } = await newStore();
    const service = makeService({ replicas: 3 });
    await store.update((tx) => {
      tx.services.create(unstored(service));
      tx.nodes.create(unstored(makeNode('n1', { availability: 'drain' })));
      for (const slot of [1, 2, 3]) tx.tasks.create(unstored(makeTask(service, `t${slot}`, { slot, nodeId: 'n1' })));
    });
    const before = log.proposals;
    await writePlans(store, ['svc'], planService, 3);
    expect(log.proposals - before).toBe(3);
    expect(store.view((r) => live(r).map((t) => [t.slot, t.nodeId]).sort())).toEqual([
      [1, undefined],
      [2, undefined],
      [3, undefined],
    ]);
  });

  it('keeps several transactions in flight for several keys, never two for one key', async () => {
    /** A log whose commits take a few ms, recording how many are under way at once. */
    class SlowLog extends MemoryLog {
      inFlight = 0;
      mostInFlight = 0;
      override async propose(data: Uint8Array): Promise<unknown> {
        this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
        await new Promise((r) => setTimeout(r, 5));
        this.inFlight--;
        return super.propose(data);
      }
    }
    const log = new SlowLog();
    const store = new ReplicatedStore(log);
    await store.start();
    const ids = Array.from({ length: 12 }, (_, i) => `svc${i}`);
    const base = unstored(makeService({ replicas: 450 }));
    await store.update((tx) => ids.forEach((id, i) => tx.services.create({ ...base, id, spec: { ...base.spec, name: `web${i}` } })));
    // Transactions of 200 changes: each key needs three, one after the other.
    await writePlans(store, ids, planService, 200);
    expect(log.mostInFlight).toBe(8);
    for (const id of ids) {
      const slots = store.view((r) => r.tasks.byService(id).map((t) => t.slot));
      expect(new Set(slots).size).toBe(450);
      expect(slots).toHaveLength(450);
    }
  });
});
