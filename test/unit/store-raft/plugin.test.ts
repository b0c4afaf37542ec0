import pino from 'pino';
import { Kernel } from '../../../core/kernel';
import { parseServiceSpec } from '../../../core/model/service-spec';
import { Tokens } from '../../../core/tokens';
import storeRaft, { storeRaftPlugin } from '../../../plugins/store-raft';
import { tempDirs } from './temp-dir';

const tempDir = tempDirs();

describe('store-raft plugin', () => {
  it('registers Consensus and ClusterStore and starts and stops with the kernel lifecycle', async () => {
    expect(storeRaft).toBe(storeRaftPlugin);
    const kernel = new Kernel(
      { dataDir: tempDir(), nodeId: 'node-1', role: 'manager', advertiseAddr: '127.0.0.1', listenAddr: '0.0.0.0:4242', newCluster: true },
      pino({ level: 'silent' }),
    );
    await kernel.use([storeRaftPlugin]);
    await kernel.lifecycle.start.promise();

    const consensus = kernel.container.resolve(Tokens.Consensus);
    // The founding member leads alone, reachable at its advertise address on the listen port.
    expect(consensus.status()).toMatchObject({ memberId: 'node-1', isLeader: true, members: [{ id: 'node-1', addr: '127.0.0.1:4242', reachable: true }] });
    const store = kernel.container.resolve(Tokens.ClusterStore);
    const spec = parseServiceSpec({ name: 'web', task: { container: { image: 'img' } } });
    const { version } = await store.update((tx) => tx.services.create({ id: 's1', spec, specVersion: 1, endpoint: { ports: [] } }));
    expect(store.view((r) => r.services.get('s1')?.meta.version)).toBe(version);

    await kernel.lifecycle.stop.promise();
    await expect(consensus.propose(Buffer.from('{}'))).rejects.toThrow('not running');
  });

  it('founds no group on a manager that joins an existing cluster: it waits to be let in', async () => {
    const kernel = new Kernel(
      { dataDir: tempDir(), nodeId: 'node-2', role: 'manager', advertiseAddr: '127.0.0.1', listenAddr: '0.0.0.0:4243', managerAddr: '127.0.0.1:4242' },
      pino({ level: 'silent' }),
    );
    await kernel.use([storeRaftPlugin]);
    await kernel.lifecycle.start.promise();
    expect(kernel.container.resolve(Tokens.Consensus).status()).toMatchObject({ isLeader: false, members: [] });
    await kernel.lifecycle.stop.promise();
  });
});
