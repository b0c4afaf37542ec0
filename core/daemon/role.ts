import type { Agent } from '../agent/agent';
import type { OpenServiceLogs } from '../api/logs-source';
import type { ControlHandlers } from '../api/server';
import type { ReplicaReads } from '../api/threaded-control-server';
import type { ClusterStore } from '../store/contract';

/** What a started role (manager or worker) gives the daemon. */
export interface RoleServices {
  /** The control API this node serves on its socket. */
  readonly handlers: ControlHandlers;
  /** The store, on managers (for watches). */
  readonly store?: ClusterStore;
  /** On managers whose store and consensus allow it: what the control thread serves reads from. */
  readonly replicaReads?: ReplicaReads;
  /** Where `ServiceLogs` is served from, on managers. */
  readonly logs?: OpenServiceLogs;
  readonly agent: Agent;
  /** Stops and removes every task of this node, then the networks it made (for `swarm leave --force`). */
  leave(): Promise<void>;
  /** Stops what the role started (its tasks keep running). */
  stop(): Promise<void>;
}
