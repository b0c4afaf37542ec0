import type { StatusUpdate } from '../../../core/agent/contract';
import { packTransactions, StatusWriter } from '../../../core/dispatcher/status-writer';
import type { TaskState } from '../../../core/model/task-state';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';

const update = (taskId: string, state: TaskState = 'running'): StatusUpdate => ({ taskId, status: { state, timestamp: '', message: state } });

describe('packTransactions', () => {
  it('fills each transaction up to the limit, splitting a node’s updates where one fills up', () => {
    const a = [update('a1'), update('a2')];
    const b = [update('b1'), update('b2'), update('b3')];
    const packed = packTransactions([{ nodeId: 'a', updates: a }, { nodeId: 'b', updates: b }], 3);
    expect(packed.map((tx) => tx.map((p) => `${p.nodeId}:${p.updates.map((u) => u.taskId).join(',')}`))).toEqual([['a:a1,a2', 'b:b1'], ['b:b2,b3']]);
  });

  it('makes no transaction without updates', () => {
    expect(packTransactions([], 3)).toEqual([]);
  });
});

describe('StatusWriter', () => {
  const svc = makeService();
  let log: MemoryLog;
  let store: ReplicatedStore;

  beforeEach(async () => {
    log = new MemoryLog();
    store = new ReplicatedStore(log);
    await store.start();
    await store.update((tx) => {
      for (const [id, nodeId] of [['a', 'n1'], ['b', 'n2'], ['c', 'n2']]) tx.tasks.create(unstored(makeTask(svc, id, { nodeId, state: 'assigned' })));
    });
  });

  const stateOf = (id: string) => store.view((r) => r.tasks.get(id)?.status.state);

  it('writes concurrent calls of several nodes in one transaction', async () => {
    const writer = new StatusWriter(store);
    const before = log.proposals;
    await Promise.all([writer.write('n1', [update('a')]), writer.write('n2', [update('b', 'starting')]), writer.write('n2', [update('c', 'failed')])]);
    expect(log.proposals - before).toBe(1);
    expect(['a', 'b', 'c'].map(stateOf)).toEqual(['running', 'starting', 'failed']);
  });

  it('splits a batch into transactions of at most the limit', async () => {
    const writer = new StatusWriter(store, 10, 2);
    const before = log.proposals;
    await Promise.all([writer.write('n1', [update('a')]), writer.write('n2', [update('b'), update('c')])]);
    expect(log.proposals - before).toBe(2);
    expect(['a', 'b', 'c'].map(stateOf)).toEqual(['running', 'running', 'running']);
  });

  it('applies only forward moves of the caller’s own tasks', async () => {
    const writer = new StatusWriter(store);
    await writer.write('n1', [update('a', 'running'), update('b', 'failed')]);
    await writer.write('n1', [update('a', 'starting'), update('gone')]);
    expect([stateOf('a'), stateOf('b')]).toEqual(['running', 'assigned']);
  });

  it('keeps the time a task reached RUNNING through its later states, whatever the agent claims', async () => {
    const writer = new StatusWriter(store);
    const at = (state: TaskState, timestamp: string, extra = {}): StatusUpdate => ({ taskId: 'a', status: { state, timestamp, message: state, ...extra } });
    await writer.write('n1', [at('running', '2026-01-01T00:00:01.000Z', { startedAt: '1999-01-01T00:00:00.000Z' })]);
    await writer.write('n1', [at('failed', '2026-01-01T00:00:09.000Z')]);
    expect(store.view((r) => r.tasks.get('a')!.status)).toMatchObject({ state: 'failed', startedAt: '2026-01-01T00:00:01.000Z' });
  });

  it('fails every caller of a batch whose write fails', async () => {
    jest.spyOn(store, 'update').mockRejectedValue(new Error('no quorum'));
    const writer = new StatusWriter(store);
    const results = await Promise.allSettled([writer.write('n1', [update('a')]), writer.write('n2', [update('b')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('drains what is queued', async () => {
    const writer = new StatusWriter(store, 60_000);
    const done = writer.write('n1', [update('a')]);
    await writer.drain();
    await done;
    expect(stateOf('a')).toBe('running');
  });
});
