import { recordClusterEvents } from '../../../core/events/store-events';
import { parseServiceSpec } from '../../../core/model/service-spec';
import type { Changeset } from '../../../core/store/contract';
import { MemoryState } from '../../../core/store/memory-state';
import { makeNode, makeTask } from '../cli/fixtures';

const spec = parseServiceSpec({ name: 'web', task: { container: { image: 'img' } } });
const service = { id: 's1', spec, specVersion: 1, endpoint: { ports: [] } };
const at = (minute: number) => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;
const apply = (state: MemoryState, index: number, cs: Changeset) => expect(state.applyChangeset(index, cs)).toEqual({ ok: true, version: index });
const reader = (state: MemoryState) => ({ watch: state.watch.bind(state), view: <R>(fn: (r: MemoryState) => R) => fn(state) });
const summary = (e: { event: { time: string; type: string; action: string; name: string } }) => `${e.event.time} ${e.event.type} ${e.event.action} ${e.event.name}`;

describe('recordClusterEvents', () => {
  it('replays the retained writes, timing a delete-only write like the write before it, then records new ones', () => {
    const state = new MemoryState();
    apply(state, 1, { at: at(0), ops: [{ op: 'create', table: 'services', object: service }] });
    apply(state, 2, { at: at(1), ops: [{ op: 'delete', table: 'services', id: 's1' }] });
    const ring = recordClusterEvents(reader(state), 100, () => new Date(at(30)));
    apply(state, 3, { at: at(5), ops: [{ op: 'create', table: 'nodes', object: makeNode('n1', { hostname: 'host1' }) }] });
    apply(state, 4, { at: at(6), ops: [{ op: 'delete', table: 'nodes', id: 'n1' }] });
    expect(ring.recent().map(summary)).toEqual([
      `${at(0)} service create web`,
      `${at(0)} service remove web`,
      `${at(5)} node create host1`,
      // Seen live: the time it is seen.
      `${at(30)} node remove host1`,
    ]);
  });

  it('names the node of a task from the store', () => {
    const state = new MemoryState();
    apply(state, 1, { at: at(0), ops: [{ op: 'create', table: 'nodes', object: makeNode('n1', { hostname: 'host1' }) }] });
    const ring = recordClusterEvents(reader(state));
    apply(state, 2, { at: at(1), ops: [{ op: 'create', table: 'tasks', object: makeTask({ slot: 1, nodeId: 'n1' }) }] });
    expect(ring.recent().at(-1)!.scope.node).toEqual({ id: 'n1', name: 'host1' });
  });

  it('records from now on when the earliest writes are no longer retained (after a snapshot)', async () => {
    const state = new MemoryState();
    apply(state, 1, { at: at(0), ops: [{ op: 'create', table: 'services', object: service }] });
    state.restore(1, await state.snapshot());
    const ring = recordClusterEvents({ watch: state.watch.bind(state) });
    apply(state, 2, { at: at(2), ops: [{ op: 'delete', table: 'services', id: 's1' }] });
    expect(ring.recent().map((e) => e.event.action)).toEqual(['remove']);
  });
});
