import { MessageChannel } from 'node:worker_threads';
import type { StoreReader } from '../../../core/store/contract';
import { ReadReplica } from '../../../core/store/read-replica';
import { FLUSH_BYTES, ReplicaFeed } from '../../../core/store/replica-feed';
import { packEntries, unpackEntries, type ReplicaMessage } from '../../../core/store/replica-messages';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';

/** Everything a reader sees, for comparing two states. */
const contents = (r: StoreReader) => ({ services: r.services.all(), tasks: r.tasks.all(), version: r.version });

/** A store, and a replica in this thread fed over a real message channel (as the control thread's is). */
async function fedReplica(writesBefore = 3) {
  const store = new ReplicatedStore(new MemoryLog());
  await store.start();
  const service = makeService();
  await store.update((tx) => tx.services.create(unstored(service)));
  for (let i = 0; i < writesBefore; i++) await store.update((tx) => tx.tasks.create(unstored(makeTask(service, `before${i}`, { slot: i }))));
  const channel = new MessageChannel();
  const replica = new ReadReplica();
  const received: ReplicaMessage['kind'][] = [];
  /** The kinds of messages the feed sent, as it sent them. */
  const sent: ReplicaMessage['kind'][] = [];
  channel.port2.on('message', (m: ReplicaMessage) => {
    received.push(m.kind);
    replica.receive(m);
  });
  const published: number[] = [];
  const send = (m: ReplicaMessage, transfer: ArrayBuffer[]) => {
    sent.push(m.kind);
    channel.port1.postMessage(m, transfer);
  };
  const attaching = ReplicaFeed.attach(store.state, send, (i) => published.push(i));
  const close = () => {
    channel.port1.close();
    channel.port2.close();
  };
  return { store, service, replica, attaching, published, received, sent, close };
}

describe('a read replica fed from a store', () => {
  it('holds what the store holds: the snapshot first, then every write applied while it was taken and after', async () => {
    const { store, service, replica, attaching, published, received, close } = await fedReplica();
    try {
      // Writes while the first snapshot is written wait, and arrive after it, once.
      const during = store.update((tx) => tx.tasks.create(unstored(makeTask(service, 'during', { slot: 10 }))));
      const feed = await attaching;
      await during;
      for (let i = 0; i < 5; i++) {
        await store.update((tx) => {
          const t = tx.tasks.get(`before${i % 3}`)!;
          tx.tasks.update({ ...t, status: { ...t.status, state: 'failed' } });
        });
      }
      await store.update((tx) => tx.tasks.delete('before2'));
      await replica.reached(store.version);
      expect(replica.view(contents)).toEqual(store.view(contents));
      expect(received[0]).toBe('restore');
      // Every index is published before the write it belongs to is acknowledged.
      expect(published[published.length - 1]).toBe(store.version);
      feed.detach();
    } finally {
      close();
    }
  });

  it('sends the writes of one synchronous stretch as one message', async () => {
    const { store, service, replica, attaching, received, close } = await fedReplica(0);
    try {
      await attaching;
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.update((tx) => tx.tasks.create(unstored(makeTask(service, `t${i}`, { slot: i }))))));
      await replica.reached(store.version);
      expect(replica.view((r) => r.tasks.size)).toBe(20);
      expect(received.filter((k) => k === 'entries').length).toBeLessThan(20);
    } finally {
      close();
    }
  });

  it('sends a big entry at once, before the store applies it and tells its listeners', async () => {
    const { store, service, replica, attaching, sent, close } = await fedReplica(0);
    try {
      await attaching;
      const sentWhenHeard: number[] = [];
      const unwatch = store.state.watch(() => sentWhenHeard.push(sent.filter((k) => k === 'entries').length));
      const big = 'x'.repeat(FLUSH_BYTES);
      const task = makeTask(service, 'big', { slot: 1 });
      await store.update((tx) => tx.tasks.create(unstored({ ...task, status: { ...task.status, message: big } })));
      unwatch();
      expect(sentWhenHeard).toEqual([1]);
      await replica.reached(store.version);
      expect(replica.view((r) => r.tasks.get('big')?.status.message)).toBe(big);
    } finally {
      close();
    }
  });

  it('takes a snapshot restored into the store in place of what it held', async () => {
    const { store, replica, attaching, close } = await fedReplica();
    try {
      await attaching;
      const other = new ReplicatedStore(new MemoryLog());
      await other.start();
      await other.update((tx) => tx.services.create(unstored({ ...makeService(), id: 'other' })));
      store.state.restore(50, await other.state.snapshot());
      await replica.reached(50);
      expect(replica.view((r) => r.services.all().map((s) => s.id))).toEqual(['other']);
      expect(replica.appliedIndex).toBe(50);
    } finally {
      close();
    }
  });

  it('drops its state when the feed stops: it serves nothing, and reads waiting for an index fail as unavailable', async () => {
    const { store, replica, attaching, close } = await fedReplica();
    try {
      const feed = await attaching;
      await replica.reached(store.version);
      const waiting = replica.reached(store.version + 100);
      feed.detach();
      await expect(waiting).rejects.toMatchObject({ code: 'unavailable' });
      expect(replica.ready).toBe(false);
      expect(replica.view((r) => r.services.size)).toBe(0);
    } finally {
      close();
    }
  });
});

describe('packed entries', () => {
  it('unpack to the same indexes and bytes, in a buffer of their own (not the one an entry was a view of)', () => {
    const big = Buffer.from('xxxxhelloyyyyworld!zz');
    const entries: [number, Uint8Array][] = [
      [3, big.subarray(4, 9)],
      [4, new Uint8Array(0)],
      [7, big.subarray(13, 19)],
    ];
    const m = packEntries(entries);
    expect(m.bytes.buffer.byteLength).toBe(11);
    expect([...unpackEntries(m)].map(([i, d]) => [i, Buffer.from(d).toString()])).toEqual([
      [3, 'hello'],
      [4, ''],
      [7, 'world!'],
    ]);
  });
});
