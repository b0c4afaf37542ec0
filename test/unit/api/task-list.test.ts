import { taskHandlers } from '../../../core/api/task-handlers';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode } from '../../helpers/nodes';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';

describe('TaskList', () => {
  async function listing() {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const web = makeService({ replicas: 2 });
    const api = { ...makeService({ replicas: 2 }), id: 'api', spec: { ...web.spec, name: 'api' } };
    await store.update((tx) => {
      tx.nodes.create(unstored(makeNode('n1', { hostname: 'alpha' })));
      tx.nodes.create(unstored(makeNode('n2', { hostname: 'beta' })));
      tx.services.create(unstored(web));
      tx.services.create(unstored(api));
      tx.tasks.create(unstored(makeTask(web, 'w1', { slot: 1, nodeId: 'n1', state: 'running' })));
      tx.tasks.create(unstored(makeTask(web, 'w2', { slot: 2, nodeId: 'n2', state: 'running' })));
      tx.tasks.create(unstored(makeTask(api, 'a1', { slot: 1, nodeId: 'n1', state: 'running' })));
      tx.tasks.create(unstored(makeTask(api, 'a2', { slot: 2, nodeId: 'n1', state: 'shutdown', desired: 'shutdown' })));
      tx.tasks.create(unstored(makeTask(api, 'a3', { slot: 2, state: 'pending' })));
    });
    const { TaskList } = taskHandlers(store);
    return async (filters: object) => (await TaskList({ filters } as never)).tasks.map((t) => t.id).sort();
  }

  it('combines node, service and state filters, each ref once however often it is named', async () => {
    const list = await listing();
    expect(await list({})).toEqual(['a1', 'a2', 'a3', 'w1', 'w2']);
    expect(await list({ node: ['alpha', 'n1'] })).toEqual(['a1', 'a2', 'w1']);
    expect(await list({ node: ['alpha'], service: ['api'] })).toEqual(['a1', 'a2']);
    expect(await list({ node: ['alpha'], service: ['api', 'web'], desiredState: ['running'] })).toEqual(['a1', 'w1']);
    expect(await list({ service: ['api', 'api'] })).toEqual(['a1', 'a2', 'a3']);
    expect(await list({ state: ['pending'] })).toEqual(['a3']);
  });
});
