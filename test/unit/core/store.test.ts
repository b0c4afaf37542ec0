import { ConflictError } from '../../../core/errors';
import type { ChangeEvent } from '../../../core/store/contract';
import { MemoryState } from '../../../core/store/memory-state';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import type { Service } from '../../../core/model/types';
import { parseServiceSpec } from '../../../core/model/service-spec';
import { MemoryLog } from '../../helpers/memory-log';

const spec = (name: string) => parseServiceSpec({ name, task: { container: { image: 'img' } } });
const service = (id: string, name = id) => ({ id, spec: spec(name), specVersion: 1, endpoint: { ports: [] } });

async function newStore() {
  const log = new MemoryLog();
  const store = new ReplicatedStore(log, () => new Date('2026-01-01T00:00:00Z'));
  await store.start();
  return { store, log };
}

describe('ReplicatedStore over MemoryState', () => {
  it('commits a transaction and stamps version and times', async () => {
    const { store } = await newStore();
    const { version } = await store.update((tx) => tx.services.create(service('s1', 'web')));
    expect(version).toBe(1);
    const s = store.view((r) => r.services.byName('web'))!;
    expect(s.meta).toEqual({ version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('shows a transaction its own writes', async () => {
    const { store } = await newStore();
    await store.update((tx) => {
      tx.services.create(service('s1'));
      expect(tx.services.get('s1')).toBeDefined();
      expect(tx.services.byName('s1')?.id).toBe('s1');
      tx.services.delete('s1');
      expect(tx.services.get('s1')).toBeUndefined();
      expect(tx.services.all()).toHaveLength(0);
    });
  });

  it('rejects a stale update with a conflict and writes nothing', async () => {
    const { store } = await newStore();
    await store.update((tx) => tx.services.create(service('s1')));
    const stale = store.view((r) => r.services.get('s1')!) as Service;
    await store.update((tx) => tx.services.update({ ...tx.services.get('s1')!, specVersion: 2 }));
    await expect(
      store.update((tx) => {
        tx.services.create(service('s2'));
        tx.services.update({ ...stale, specVersion: 3 });
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(store.view((r) => [r.services.get('s1')!.specVersion, r.services.get('s2')])).toEqual([2, undefined]);
  });

  it('refuses duplicate ids and names', async () => {
    const { store } = await newStore();
    await store.update((tx) => tx.services.create(service('s1', 'web')));
    await expect(store.update((tx) => tx.services.create(service('s1', 'other')))).rejects.toThrow(/already exists/);
    await expect(store.update((tx) => tx.services.create(service('s2', 'web')))).rejects.toThrow(/a service named "web" already exists/);
  });

  it('skips consensus for a transaction without writes', async () => {
    const { store, log } = await newStore();
    const { result } = await store.update((tx) => tx.services.all().length);
    expect(result).toBe(0);
    expect(log.proposals).toBe(0);
  });

  it('keeps task indexes by service and node in step', async () => {
    const { store } = await newStore();
    const task = { id: 't1', serviceId: 's1', serviceName: 'web', slot: 1, specVersion: 1, spec: spec('web').task, ports: [], desiredState: 'running' as const, status: { state: 'new' as const, timestamp: '', message: '' }, restartHistory: [] };
    await store.update((tx) => tx.tasks.create(task));
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get('t1')!, nodeId: 'n1' }));
    expect(store.view((r) => [r.tasks.byService('s1').length, r.tasks.byNode('n1').length])).toEqual([1, 1]);
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get('t1')!, nodeId: 'n2' }));
    expect(store.view((r) => [r.tasks.byNode('n1').length, r.tasks.byNode('n2').length])).toEqual([0, 1]);
    await store.update((tx) => tx.tasks.delete('t1'));
    expect(store.view((r) => [r.tasks.byService('s1').length, r.tasks.byNode('n2').length, r.tasks.size])).toEqual([0, 0, 0]);
  });

  it('streams changes to watchers and replays from a version', async () => {
    const { store } = await newStore();
    const seen: ChangeEvent[] = [];
    const stop = store.watch((events) => seen.push(...events));
    await store.update((tx) => tx.services.create(service('s1')));
    await store.update((tx) => tx.services.update({ ...tx.services.get('s1')!, specVersion: 2 }));
    await store.update((tx) => tx.services.delete('s1'));
    stop();
    await store.update((tx) => tx.services.create(service('s2')));
    expect(seen.map((e) => `${e.kind}@${e.version}`)).toEqual(['create@1', 'update@2', 'delete@3']);
    expect((seen[1].previous as Service).specVersion).toBe(1);

    const replay: number[] = [];
    store.watch((events) => replay.push(...events.map((e) => e.version)), 2)();
    expect(replay).toEqual([3, 4]);
  });

  it('snapshots the state as it was when asked, however long writing it out takes and whatever is applied meanwhile', async () => {
    const { store } = await newStore();
    await store.update((tx) => {
      for (let i = 0; i < 3000; i++) tx.services.create(service(`s${i}`));
    });
    const whole = (r: MemoryState) => JSON.stringify({ version: r.version, tables: { clusters: r.clusters.all(), nodes: r.nodes.all(), services: r.services.all(), tasks: r.tasks.all(), networks: r.networks.all() } });
    const expected = whole(store.state);
    const taking = store.state.snapshot();
    await store.update((tx) => {
      tx.services.delete('s0');
      tx.services.update({ ...tx.services.get('s1')!, specVersion: 2 });
    });
    const bytes = await taking;
    expect(Buffer.from(bytes).toString()).toBe(expected);
    const copy = new MemoryState();
    copy.restore(1, bytes);
    expect(copy.services.size).toBe(3000);
    expect(copy.services.get('s1')!.specVersion).toBe(1);
  });

  it('round-trips through a snapshot', async () => {
    const { store } = await newStore();
    await store.update((tx) => tx.services.create(service('s1', 'web')));
    const copy = new MemoryState();
    copy.restore(store.version, await store.state.snapshot());
    expect(copy.services.byName('web')).toEqual(store.view((r) => r.services.get('s1')));
    expect(copy.version).toBe(1);
  });

  it('treats an undecodable entry as a no-op conflict', () => {
    const state = new MemoryState();
    expect(state.apply(1, Buffer.from('not json'))).toEqual({ ok: false, conflict: 'entry 1 is not a valid changeset' });
    expect(state.appliedIndex).toBe(1);
  });
});

describe('a transaction finds services by name', () => {
  it('sees its own creates, renames and deletes over the stored name index', async () => {
    const { store } = await newStore();
    await store.update((tx) => {
      tx.services.create(service('s1', 'web'));
      tx.services.create(service('s2', 'db'));
    });
    await store.update((tx) => {
      expect(tx.services.byName('web')?.id).toBe('s1');
      tx.services.create(service('s3', 'cache'));
      expect(tx.services.byName('cache')?.id).toBe('s3');
      const web = tx.services.get('s1')!;
      tx.services.update({ ...web, spec: { ...web.spec, name: 'www' } });
      expect(tx.services.byName('web')).toBeUndefined();
      expect(tx.services.byName('www')?.id).toBe('s1');
      tx.services.delete('s2');
      expect(tx.services.byName('db')).toBeUndefined();
      expect(tx.services.byName('nope')).toBeUndefined();
    });
  });
});
