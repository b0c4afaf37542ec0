import { LiveRoutes } from '../../../core/network/live-routes';
import { fullRoutes } from '../../../core/network/routes';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { unstored } from '../orchestrator/fixtures';
import { makeNetService, makeNetTask, makeNetwork, tcp } from './fixtures';

describe('LiveRoutes', () => {
  it('stays equal to a complete read of the store through every kind of change, and stops following on stop', async () => {
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const web = makeNetService('web', { networks: ['n1'], virtualIps: [{ networkId: 'n1', addr: '10.1.0.2' }] });
    const pub = makeNetService('pub', { ports: [tcp(80, 30001)] });
    await store.update((tx) => {
      tx.networks.create(unstored(makeNetwork('n1')));
      tx.services.create(unstored(web));
      tx.tasks.create(unstored(makeNetTask(web, 't1', { networks: [{ networkId: 'n1', addr: '10.1.0.3' }] })));
    });
    const live = new LiveRoutes(store);
    live.start();
    const agrees = () => expect(live.full()).toEqual(store.view(fullRoutes));
    agrees();

    const steps: ((tx: Parameters<Parameters<typeof store.update>[0]>[0]) => void)[] = [
      (tx) => tx.services.create(unstored(pub)),
      (tx) => tx.tasks.create(unstored(makeNetTask(pub, 't2', { state: 'starting' }))),
      (tx) => tx.tasks.update({ ...tx.tasks.get('t2')!, status: { ...tx.tasks.get('t2')!.status, state: 'running' } }),
      (tx) => tx.tasks.update({ ...tx.tasks.get('t1')!, desiredState: 'shutdown' }),
      (tx) => tx.networks.create(unstored(makeNetwork('n2'))),
      (tx) => tx.services.update({ ...tx.services.get('pub')!, endpoint: { ports: [tcp(80, 30002)] } }),
      (tx) => tx.tasks.delete('t2'),
      (tx) => tx.services.delete('web'),
      (tx) => tx.networks.delete('n1'),
    ];
    for (const step of steps) {
      await store.update(step);
      agrees();
    }
    expect(live.full().services.map((s) => s.id)).toEqual(['pub']);

    live.stop();
    await store.update((tx) => tx.services.create(unstored(makeNetService('late', { ports: [tcp(81, 30003)] }))));
    expect(live.full().services).toEqual([]);
  });
});
