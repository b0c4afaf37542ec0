import type { Plugin } from '../../core/kernel';
import { ReplicatedStore } from '../../core/store/replicated-store';
import { Tokens } from '../../core/tokens';
import { RaftNode } from './raft-node';

export { RaftNode, type RaftNodeOptions } from './raft-node';
export { RaftCore, type RaftConfig, type PersistedState, type Role } from './raft-core';
export type { Ready } from './ready';
export type { Message } from './messages';
export type { Entry, HardState, Snapshot } from './types';
export { LocalNetwork, type Transport, type MessageReceiver } from './transport';
export { seededRandom } from './random';

/**
 * The default store: a Raft member (this node's id, state under `<dataDir>/raft`) under a
 * ReplicatedStore. Registers `Tokens.Consensus` and `Tokens.ClusterStore`; starts with the store stage
 * of the lifecycle (-100) and stops last (100). Only managers hold the store: on a worker it does nothing.
 */
export const storeRaftPlugin: Plugin = {
  name: 'store-raft',
  version: '0.1.0',
  kernel: '^1.0',
  apply(kernel) {
    if (kernel.config.role !== 'manager') return;
    const node = new RaftNode({
      id: kernel.config.nodeId,
      dataDir: kernel.config.dataDir,
      bootstrap: [{ id: kernel.config.nodeId, addr: kernel.config.advertiseAddr }],
      log: kernel.log.child({ plugin: 'store-raft' }),
    });
    const store = new ReplicatedStore(node);
    kernel.container.register(Tokens.Consensus, { useValue: node });
    kernel.container.register(Tokens.ClusterStore, { useValue: store });
    kernel.lifecycle.start.tapPromise({ name: 'store-raft', stage: -100 }, () => store.start());
    kernel.lifecycle.stop.tapPromise({ name: 'store-raft', stage: 100 }, () => store.stop());
  },
};

export default storeRaftPlugin;
