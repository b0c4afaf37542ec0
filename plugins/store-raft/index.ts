import fs from 'node:fs';
import path from 'node:path';
import { clusterAddress } from '../../core/cluster/join';
import type { Plugin } from '../../core/kernel';
import { ReplicatedStore } from '../../core/store/replicated-store';
import { Tokens } from '../../core/tokens';
import { GrpcTransport, serveRaft } from './grpc-transport';
import { joinConsensus, serveMembership } from './join-service';
import { RaftNode } from './raft-node';

export { RaftNode, type RaftNodeOptions } from './raft-node';
export { RaftCore, type RaftConfig, type PersistedState, type Role } from './raft-core';
export type { Ready } from './ready';
export type { Message } from './messages';
export type { Entry, HardState, Member, Snapshot } from './types';
export { LocalNetwork, type Transport, type MessageReceiver } from './transport';
export { seededRandom } from './random';

/**
 * The default store: a Raft member (this node's id, state under `<dataDir>/raft`) under a
 * ReplicatedStore. Registers `Tokens.Consensus` and `Tokens.ClusterStore`; starts with the store stage
 * of the lifecycle (-100) and stops last (100). On the cluster listener it serves the member-to-member
 * stream and the membership calls; a manager that joined an existing cluster asks to be let in.
 * The node that founds the cluster founds the Raft group alone. Only managers hold the store; on a
 * worker (a demoted manager included) the plugin removes any Raft state left in the data dir.
 */
export const storeRaftPlugin: Plugin = {
  name: 'store-raft',
  version: '0.2.0',
  kernel: '^1.0',
  provides: ['Consensus', 'ClusterStore'],
  taps: ['cluster.listener'],
  apply(kernel) {
    const { role, nodeId, dataDir, newCluster, managerAddr } = kernel.config;
    // A worker holds no cluster state: what it kept of Raft as a manager (before a demotion) goes.
    if (role !== 'manager') {
      fs.rmSync(path.join(dataDir, 'raft'), { recursive: true, force: true });
      return;
    }
    const log = kernel.log.child({ plugin: 'store-raft' });
    const addr = clusterAddress(kernel.config.advertiseAddr, kernel.config.listenAddr);
    const self = { id: nodeId, addr };
    const node = new RaftNode({
      id: nodeId,
      dataDir,
      bootstrap: newCluster ? [self] : undefined,
      forceNewCluster: kernel.config.forceNewCluster ? self : undefined,
      log,
    });
    const store = new ReplicatedStore(node);
    let stopped = false;
    let transport: GrpcTransport | undefined;
    kernel.provide(Tokens.Consensus, node);
    kernel.provide(Tokens.ClusterStore, store);
    kernel.hooks.cluster.listener.tap('store-raft', (server, dialer) => {
      serveRaft(server, node, log);
      serveMembership(server, node, dialer, log);
      transport = new GrpcTransport(dialer, (id) => node.addressOf(id));
      node.connect(transport);
      if (!node.isMember && managerAddr) {
        void joinConsensus({ node, via: managerAddr, addr, dialer, log, stopped: () => stopped });
      }
    });
    kernel.lifecycle.start.tapPromise({ name: 'store-raft', stage: -100 }, () => store.start());
    kernel.lifecycle.stop.tapPromise({ name: 'store-raft', stage: 100 }, async () => {
      stopped = true;
      await store.stop();
      transport?.close();
    });
  },
};

export default storeRaftPlugin;
