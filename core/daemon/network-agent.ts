import type { Logger } from 'pino';
import type { AgentOptions } from '../agent/agent';
import type { Kernel } from '../kernel';
import { NetworkAgent } from '../network/network-agent';
import { Tokens } from '../tokens';
import type { NodeIdentity } from './identity';

/** A node's network agent, and what its task agent needs to feed it. */
export interface NodeNetworking {
  /** Options for the node's Agent: the expose address, and where route changes go. */
  readonly agentOptions: AgentOptions;
  /** Removes the networks this node made (once its tasks are gone). */
  removeAll(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the networking of a node with the network drivers its plugins registered. */
export function startNetworkAgent(kernel: Kernel, identity: NodeIdentity, log: Logger): NodeNetworking {
  const drivers = kernel.container.isRegistered(Tokens.NetworkDriver, true) ? kernel.container.resolveAll(Tokens.NetworkDriver) : [];
  const agent = new NetworkAgent({ hooks: kernel.hooks, drivers, nodeId: identity.nodeId, log });
  return {
    agentOptions: { exposeAddress: identity.advertiseAddr, onRoutes: (change) => agent.apply(change) },
    removeAll: () => agent.removeAll(),
    close: () => agent.close(),
  };
}
