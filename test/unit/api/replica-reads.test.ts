import { replicaReadBarrier, type ReplicaReadDeps } from '../../../core/api/replica-reads';

/** A replica at `at`, whose consensus thread published `published` and holds a lease or not. */
function deps(o: { ready?: boolean; leased?: boolean; published?: number; at?: number }) {
  const calls: string[] = [];
  const waited: number[] = [];
  const d: ReplicaReadDeps = {
    replica: { ready: o.ready ?? true, reached: async (i) => void waited.push(i) },
    shared: {
      applied: () => (calls.push('applied'), o.published ?? 7),
      leased: () => (calls.push('leased'), o.leased ?? true),
    },
    renew: () => void calls.push('renew'),
  };
  return { d, calls, waited };
}

describe('a read from the replica', () => {
  it('waits for the index published before it checked the lease, and asks for the lease to be renewed', async () => {
    const { d, calls, waited } = deps({ published: 42 });
    await replicaReadBarrier(d);
    expect(waited).toEqual([42]);
    expect(calls).toEqual(['applied', 'leased', 'renew']);
  });

  it('is not served by the replica without a lease (a follower, or a leader not confirmed lately)', () => {
    const { d, waited } = deps({ leased: false });
    expect(replicaReadBarrier(d)).toBeUndefined();
    expect(waited).toEqual([]);
  });

  it('is not served by a replica still being filled', () => {
    const { d, calls } = deps({ ready: false });
    expect(replicaReadBarrier(d)).toBeUndefined();
    expect(calls).toEqual([]);
  });
});
