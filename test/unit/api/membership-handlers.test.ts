import { membershipHandlers, quorumAfterRemoval } from '../../../core/api/membership-handlers';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import type { LogStatus } from '../../../core/store/replicated-log';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode } from '../../helpers/nodes';

const status = (reachable: Record<string, boolean>): LogStatus => ({
  memberId: 'm1',
  term: 3,
  leaderId: 'm1',
  leaderAddr: 'a:1',
  isLeader: true,
  commitIndex: 9,
  appliedIndex: 9,
  members: Object.entries(reachable).map(([id, r]) => ({ id, addr: `${id}:1`, reachable: r })),
});

async function setup(reachable: Record<string, boolean>) {
  const store = new ReplicatedStore(new MemoryLog());
  await store.start();
  await store.update((tx) => {
    for (const id of Object.keys(reachable)) tx.nodes.create(makeNode(id, { role: 'manager' }));
    tx.nodes.create(makeNode('w1'));
  });
  const removed: string[] = [];
  const consensus = { status: () => status(reachable), removeMember: async (id: string) => void removed.push(id) };
  return { store, removed, h: membershipHandlers(store, consensus, 'm1') };
}

describe('manager membership', () => {
  it('counts what removing a manager would leave', () => {
    expect(quorumAfterRemoval(status({ m1: true, m2: true, m3: true }), 'm3')).toEqual({ remaining: 2, reachable: 2, quorum: 2, ok: true });
    expect(quorumAfterRemoval(status({ m1: true, m2: false, m3: true }), 'm3')).toEqual({ remaining: 2, reachable: 1, quorum: 2, ok: false });
    expect(quorumAfterRemoval(status({ m1: true }), 'm1').ok).toBe(false);
  });

  it('demotes a manager: marks it a worker, then takes it out of consensus', async () => {
    const { store, removed, h } = await setup({ m1: true, m2: true, m3: true });
    await expect(h.NodeRole({ ref: 'm3', role: 'worker' })).resolves.toMatchObject({ changed: true });
    expect(store.view((r) => r.nodes.get('m3')!.spec.role)).toBe('worker');
    expect(removed).toEqual(['m3']);
    await expect(h.NodeRole({ ref: 'm3', role: 'worker' })).resolves.toMatchObject({ changed: false });
  });

  it('refuses a demotion that would lose quorum unless forced, and never demotes the last manager', async () => {
    const { store, removed, h } = await setup({ m1: true, m2: false, m3: true });
    await expect(h.NodeRole({ ref: 'm3', role: 'worker' })).rejects.toThrow(/would leave 1 reachable of 2 managers, fewer than the quorum of 2.*--force/);
    expect(store.view((r) => r.nodes.get('m3')!.spec.role)).toBe('manager');
    expect(removed).toEqual([]);
    await h.NodeRole({ ref: 'm3', role: 'worker', force: true });
    expect(removed).toEqual(['m3']);

    const lone = await setup({ m1: true });
    await expect(lone.h.NodeRole({ ref: 'm1', role: 'worker', force: true })).rejects.toThrow('last manager');
  });

  it('promotes a worker by its role alone (it joins consensus itself), and checks the request', async () => {
    const { store, removed, h } = await setup({ m1: true });
    await h.NodeRole({ ref: 'w1', role: 'manager' });
    expect(store.view((r) => r.nodes.get('w1')!.spec.role)).toBe('manager');
    expect(removed).toEqual([]);
    await expect(h.NodeRole({ ref: 'w1', role: 'boss' })).rejects.toThrow('role');
  });

  it('removes a manager only with --force, taking it out of consensus first', async () => {
    const { store, removed, h } = await setup({ m1: true, m2: true, m3: true });
    await expect(h.NodeRemove({ ref: 'm2' })).rejects.toThrow('is a manager: demote it first, or use --force');
    await h.NodeRemove({ ref: 'm2', force: true });
    expect(removed).toEqual(['m2']);
    expect(store.view((r) => r.nodes.get('m2'))).toBeUndefined();
    await expect(h.NodeRemove({ ref: 'm1', force: true })).rejects.toThrow('cannot remove itself');
  });
});
