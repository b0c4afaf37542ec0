import { consensusSettings, followConsensusSettings } from '../../../core/daemon/consensus-settings';
import type { ConsensusSettings } from '../../../core/store/replicated-log';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';

describe('consensus settings from the cluster', () => {
  it('passes on only what the cluster sets', () => {
    expect(consensusSettings({ taskHistoryLimit: 5, dispatcherHeartbeatMs: 5000 })).toEqual({});
    expect(consensusSettings({ taskHistoryLimit: 5, dispatcherHeartbeatMs: 5000, electionTick: 20, snapshotInterval: 500 })).toEqual({
      electionTicks: 20,
      snapshotInterval: 500,
    });
  });

  it('applies them when the cluster appears and each time they change, not on unrelated writes', async () => {
    const log = new MemoryLog();
    const applied: Partial<ConsensusSettings>[] = [];
    log.configure = (s: Partial<ConsensusSettings>) => void applied.push(s);
    const store = new ReplicatedStore(log);
    await store.start();
    const stop = followConsensusSettings(store, log);
    await store.update((tx) => tx.clusters.create({ id: 'c', name: 'default', settings: { taskHistoryLimit: 5, dispatcherHeartbeatMs: 5000 } }));
    const update = (change: object) =>
      store.update((tx) => {
        const c = tx.clusters.get('c')!;
        tx.clusters.update({ ...c, settings: { ...c.settings, ...change } });
      });
    await update({ electionTick: 30, heartbeatTick: 3 });
    await update({ taskHistoryLimit: 9 });
    stop();
    await update({ electionTick: 40 });
    expect(applied).toEqual([{}, { electionTicks: 30, heartbeatTicks: 3 }]);
  });
});
