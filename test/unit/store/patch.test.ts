import { MemoryState } from '../../../core/store/memory-state';
import { applyPatch, topLevelPatch } from '../../../core/store/patch';
import { Transaction } from '../../../core/store/transaction';
import type { Changeset } from '../../../core/store/contract';
import type { Task } from '../../../core/model/types';
import { at, makeService, makeTask, unstored } from '../orchestrator/fixtures';

const service = makeService({ replicas: 1 });
const commit = (state: MemoryState, index: number, t: Transaction) => state.apply(index, Buffer.from(JSON.stringify(t.changeset(at(index).toISOString()))));

describe('top-level patches', () => {
  const task = makeTask(service, 't1', { slot: 1, nodeId: 'n1', state: 'running' });

  it('holds only the fields replaced, by reference, and the fields dropped; never meta', () => {
    const next: Task = { ...task, status: { ...task.status, state: 'shutdown' }, nodeId: undefined, meta: { ...task.meta, version: 9 } };
    expect(topLevelPatch(task, next)).toEqual({ set: { status: next.status }, unset: ['nodeId'] });
    expect(topLevelPatch(task, { ...task })).toEqual({ set: {} });
  });

  it('lays a patch over its base, keeping the base and its id as they were', () => {
    const meta = { version: 5, createdAt: task.meta.createdAt, updatedAt: at(5).toISOString() };
    const out = applyPatch(task, { set: { desiredState: 'shutdown', id: 'other' }, unset: ['nodeId'] }, meta);
    expect(out).toEqual({ ...task, desiredState: 'shutdown', nodeId: undefined, meta });
    expect('nodeId' in out).toBe(false);
    expect(out.spec).toBe(task.spec);
    expect(task.desiredState).toBe('running');
  });
});

describe('updates through consensus carry only what changed', () => {
  async function stateWithTask() {
    const state = new MemoryState();
    const t = new Transaction(state);
    t.tx.services.create(unstored(service));
    t.tx.tasks.create(unstored(makeTask(service, 't1', { slot: 1 })));
    expect(commit(state, 1, t)).toEqual({ ok: true, version: 1 });
    return state;
  }

  it('sends a status change without the spec, and the replica keeps its spec object', async () => {
    const state = await stateWithTask();
    const before = state.tasks.get('t1')!;
    const t = new Transaction(state);
    t.tx.tasks.update({ ...before, nodeId: 'n1', status: { ...before.status, state: 'assigned' } });
    const cs: Changeset = t.changeset(at(2).toISOString());
    expect(cs.ops).toEqual([{ op: 'update', table: 'tasks', id: 't1', expectVersion: 1, set: { nodeId: 'n1', status: { ...before.status, state: 'assigned' } } }]);
    expect(JSON.stringify(cs)).not.toContain('"spec"');
    expect(commit(state, 2, t)).toEqual({ ok: true, version: 2 });
    const after = state.tasks.get('t1')!;
    expect(after).toMatchObject({ nodeId: 'n1', status: { state: 'assigned' }, meta: { version: 2, createdAt: before.meta.createdAt, updatedAt: at(2).toISOString() } });
    expect(after.spec).toBe(before.spec);
  });

  it('folds a second write of one object into one patch from what was read', async () => {
    const state = await stateWithTask();
    const before = state.tasks.get('t1')!;
    const t = new Transaction(state);
    t.tx.tasks.update({ ...before, nodeId: 'n1' });
    t.tx.tasks.update({ ...t.tx.tasks.get('t1')!, desiredState: 'shutdown' });
    expect(t.changeset(at(2).toISOString()).ops).toEqual([{ op: 'update', table: 'tasks', id: 't1', expectVersion: 1, set: { nodeId: 'n1', desiredState: 'shutdown' } }]);
  });

  it('fails a write made from a stale read, changing nothing', async () => {
    const state = await stateWithTask();
    const stale = state.tasks.get('t1')!;
    const first = new Transaction(state);
    first.tx.tasks.update({ ...stale, desiredState: 'shutdown' });
    commit(state, 2, first);
    const second = new Transaction(state);
    second.tx.tasks.update({ ...stale, nodeId: 'n2' });
    expect(commit(state, 3, second)).toEqual({ ok: false, conflict: 'tasks t1 changed (version 2, expected 1)' });
    expect(state.tasks.get('t1')).toMatchObject({ desiredState: 'shutdown', meta: { version: 2 } });
    expect(state.tasks.get('t1')!.nodeId).toBeUndefined();
  });

  it('refuses a rename onto a name another service holds', async () => {
    const state = await stateWithTask();
    const t = new Transaction(state);
    t.tx.services.create(unstored({ ...service, id: 'svc2', spec: { ...service.spec, name: 'api' } }));
    commit(state, 2, t);
    const rename = new Transaction(state);
    const api = state.services.get('svc2')!;
    rename.tx.services.update({ ...api, spec: { ...api.spec, name: service.spec.name } });
    expect(commit(state, 3, rename)).toEqual({ ok: false, conflict: `a service named "${service.spec.name}" already exists` });
  });
});

describe('transactions', () => {
  /** A state holding tasks t1 and t2. */
  function twoTasks(): MemoryState {
    const state = new MemoryState();
    const setup = new Transaction(state);
    setup.tx.tasks.create(unstored(makeTask(service, 't1', { slot: 1 })));
    setup.tx.tasks.create(unstored(makeTask(service, 't2', { slot: 2 })));
    commit(state, 1, setup);
    return state;
  }

  it('read no whole table unless asked: a write to one task scans nothing', () => {
    const state = twoTasks();
    const scans = jest.spyOn(state.tasks, 'all');
    const t = new Transaction(state);
    t.tx.tasks.update({ ...t.tx.tasks.get('t1')!, desiredState: 'shutdown' });
    expect(t.changeset(at(2).toISOString()).ops).toHaveLength(1);
    expect(scans).not.toHaveBeenCalled();
  });

  it('count the rows they would leave', () => {
    const state = twoTasks();
    const t = new Transaction(state);
    t.tx.tasks.create(unstored(makeTask(service, 't3', { slot: 3 })));
    t.tx.tasks.delete('t1');
    t.tx.tasks.update({ ...t.tx.tasks.get('t2')!, desiredState: 'shutdown' });
    expect(t.tx.tasks.size).toBe(2);
    expect(t.tx.tasks.all().map((x) => x.id).sort()).toEqual(['t2', 't3']);
  });
});
