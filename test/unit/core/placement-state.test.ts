import type { TaskState } from '../../../core/model/task-state';
import type { Node, Task } from '../../../core/model/types';
import type { NodeInfo } from '../../../core/scheduler/contract';
import { buildNodeInfos } from '../../../core/scheduler/node-info';
import { isPending, PlacementState } from '../../../core/scheduler/placement-state';
import type { StoredObject } from '../../../core/model/types';
import type { NewObject } from '../../../core/store/contract';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode, makeTask } from '../scheduler-spread/fixtures';

const unstored = <T extends StoredObject>({ meta: _meta, ...rest }: T) => rest as unknown as NewObject<T>;

/** What a NodeInfo says, comparable. */
function summary(info: NodeInfo) {
  return {
    node: info.node.id,
    hostname: info.node.description.hostname,
    active: info.activeTasks,
    byService: Object.fromEntries([...info.tasksByService].sort()),
    ports: [...info.usedHostPorts].sort(),
    reserved: info.reserved,
  };
}

/** A deterministic stream of numbers in [0, 1) (a linear congruential generator). */
function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
}

const STATES: TaskState[] = ['new', 'pending', 'assigned', 'accepted', 'preparing', 'starting', 'running', 'complete', 'failed', 'shutdown'];

describe('PlacementState', () => {
  it('follows random writes to the store and always agrees with a model built from scratch', async () => {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const state = new PlacementState();
    store.view((r) => state.rebuild(r));
    store.watch((events) => events.forEach((e) => state.apply(e)));
    const random = seeded(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const nodeIds = ['n1', 'n2', 'n3', 'n4'];

    for (let step = 0; step < 600; step++) {
      await store.update((tx) => {
        const roll = random();
        const nodes = tx.nodes.all();
        const tasks = tx.tasks.all();
        const id = pick(nodeIds);
        if (roll < 0.1) {
          const node = tx.nodes.get(id);
          if (node) tx.nodes.update({ ...node, description: { ...node.description, hostname: `h${step}` } });
          else tx.nodes.create(unstored(makeNode(id, { cpus: 8 })));
        } else if (roll < 0.13 && nodes.length > 0) {
          tx.nodes.delete(pick(nodes).id);
        } else if (roll < 0.45 || tasks.length === 0) {
          const task = makeTask(`t${step}`, { serviceId: pick(['a', 'b', 'c']), cpus: pick([0, 0.5, 1]), hostPorts: random() < 0.2 ? [8000 + step] : [], state: pick(STATES), nodeId: random() < 0.7 ? id : undefined });
          tx.tasks.create(unstored(task));
        } else if (roll < 0.9) {
          const t = pick(tasks);
          const moved: Task = random() < 0.2 ? { ...t, nodeId: random() < 0.5 ? undefined : id } : t;
          tx.tasks.update({ ...moved, desiredState: random() < 0.15 ? 'shutdown' : moved.desiredState, status: { ...t.status, state: pick(STATES) } });
        } else {
          tx.tasks.delete(pick(tasks).id);
        }
      });
      const fromScratch = store.view((r) => ({ infos: buildNodeInfos(r.nodes.all() as Node[], r.tasks.all()), pending: r.tasks.all().filter(isPending).map((t) => t.id).sort() }));
      expect(state.passInfos().map(summary)).toEqual(fromScratch.infos.map(summary));
      expect(state.pendingTasks().map((t) => t.id).sort()).toEqual(fromScratch.pending);
    }
    expect(state.pendingTasks().length).toBeGreaterThan(0);
    expect(state.passInfos().some((i) => i.activeTasks > 0)).toBe(true);
  });

  it('gives each pass fresh NodeInfos: placements of one pass are gone in the next', () => {
    const state = new PlacementState();
    const node = makeNode('n1');
    state.apply({ table: 'nodes', kind: 'create', object: node, version: 1 });
    state.apply({ table: 'tasks', kind: 'create', object: makeTask('t1', { nodeId: 'n1', state: 'running', serviceId: 'a', hostPorts: [80] }), version: 2 });
    const [first] = state.passInfos();
    first.place(makeTask('t2', { serviceId: 'b', cpus: 1, hostPorts: [81] }));
    expect(summary(first)).toMatchObject({ active: 2, byService: { a: 1, b: 1 }, ports: ['tcp/80', 'tcp/81'] });
    expect(first.tasksByService.size).toBe(2);
    expect(summary(state.passInfos()[0])).toMatchObject({ active: 1, byService: { a: 1 }, ports: ['tcp/80'] });
  });
});
