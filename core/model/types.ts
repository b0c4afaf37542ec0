import type { DesiredState, TaskState } from './task-state';
import type { ClusterCA } from '../cluster/ca-contract';

/** Bookkeeping every stored object carries. `version` is the store version of its last write. */
export interface Meta {
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A stored object: an id plus metadata. Stored objects are immutable; write a new object to change one. */
export interface StoredObject {
  readonly id: string;
  readonly meta: Meta;
}

export type Labels = Readonly<Record<string, string>>;

// ---------------------------------------------------------------- nodes

export type NodeRole = 'manager' | 'worker';
export type NodeAvailability = 'active' | 'pause' | 'drain';
export type NodeState = 'unknown' | 'down' | 'ready' | 'disconnected';

/** What an operator sets on a node. */
export interface NodeSpec {
  readonly role: NodeRole;
  readonly availability: NodeAvailability;
  /** Operator labels, matched by `node.labels.K` constraints. */
  readonly labels: Labels;
}

/** CPU in nano-CPUs (1e9 = one core) and memory in bytes, as Docker counts them. */
export interface Resources {
  readonly nanoCpus: number;
  readonly memoryBytes: number;
}

/** What a node reports about itself. */
export interface NodeDescription {
  readonly hostname: string;
  readonly platform: { readonly os: string; readonly arch: string };
  readonly resources: Resources;
  readonly engine: { readonly version: string; readonly labels: Labels };
  /** Names of the runtimes this node can run tasks on; the first is its default. */
  readonly runtimes: readonly string[];
}

export interface NodeStatus {
  readonly state: NodeState;
  readonly message: string;
  /** The node's advertise address. */
  readonly addr: string;
  readonly heartbeatAt?: string;
}

export interface Node extends StoredObject {
  readonly spec: NodeSpec;
  readonly description: NodeDescription;
  readonly status: NodeStatus;
  /** Digest of the root that signed the node's current certificate (root rotation waits on it). */
  readonly tlsRoot?: string;
}

// ---------------------------------------------------------------- services

export type RestartCondition = 'any' | 'on-failure' | 'none';

export interface RestartPolicy {
  readonly condition: RestartCondition;
  /** Wait between a task's end and its replacement starting. */
  readonly delayMs: number;
  /** Restarts allowed within `windowMs`; 0 means unlimited. */
  readonly maxAttempts: number;
  /** Window over which attempts are counted; 0 means unbounded. */
  readonly windowMs: number;
}

export interface ResourceRequirements {
  readonly limits: Partial<Resources>;
  readonly reservations: Partial<Resources>;
}

export interface ContainerSpec {
  readonly image: string;
  /** Replaces the image's entrypoint when set. */
  readonly command?: readonly string[];
  /** Arguments (the image's CMD is replaced when non-empty). */
  readonly args: readonly string[];
  /** `KEY=VALUE` entries. */
  readonly env: readonly string[];
  /** Labels put on the container. */
  readonly labels: Labels;
  readonly stopGracePeriodMs: number;
}

export interface Placement {
  /** Constraint expressions such as `node.labels.storage==ssd`, all of which must hold. */
  readonly constraints: readonly string[];
  /**
   * Spread preferences, outermost first: each names a node attribute (`node.labels.zone`) whose values
   * tasks are evened out across before the next preference, and before the spread score.
   */
  readonly preferences: readonly { readonly spread: string }[];
  /** Most tasks of the service on one node; 0 means no limit. */
  readonly maxReplicasPerNode: number;
}

/** The part of a service spec every task of it carries. */
export interface TaskSpec {
  readonly container: ContainerSpec;
  readonly resources: ResourceRequirements;
  readonly restartPolicy: RestartPolicy;
  readonly placement: Placement;
  /** Runtime name; undefined means the node's default runtime. */
  readonly runtime?: string;
}

export type Protocol = 'tcp' | 'udp';
export type PublishMode = 'ingress' | 'host';

export interface PortConfig {
  readonly protocol: Protocol;
  readonly targetPort: number;
  /** 0 asks the allocator for a port from the dynamic range. */
  readonly publishedPort: number;
  readonly publishMode: PublishMode;
}

export type ServiceMode = { readonly replicated: { readonly replicas: number } } | { readonly global: Record<string, never> };

export interface ServiceSpec {
  readonly name: string;
  readonly labels: Labels;
  readonly mode: ServiceMode;
  readonly task: TaskSpec;
  readonly endpoint: { readonly ports: readonly PortConfig[] };
}

export interface Service extends StoredObject {
  readonly spec: ServiceSpec;
  /** Incremented on every spec change; tasks record the version they were made from. */
  readonly specVersion: number;
  readonly previousSpec?: ServiceSpec;
  /** Ports after allocation (published ports filled in). */
  readonly endpoint: { readonly ports: readonly PortConfig[] };
}

// ---------------------------------------------------------------- tasks

export interface TaskStatus {
  readonly state: TaskState;
  readonly timestamp: string;
  /** Human-readable: what is happening ("started", "no suitable node (…)"). */
  readonly message: string;
  /** Why it failed, when it did. */
  readonly err?: string;
  readonly exitCode?: number;
  /** The runtime's handle, e.g. a container id. */
  readonly runtimeId?: string;
  /** Address where the task's target ports answer (a container IP). */
  readonly addr?: string;
}

export interface Task extends StoredObject {
  readonly serviceId: string;
  readonly serviceName: string;
  /** Slot number (1-based) for replicated services; undefined for global ones. */
  readonly slot?: number;
  /** Set by the scheduler (or at creation for global services). */
  readonly nodeId?: string;
  readonly specVersion: number;
  readonly spec: TaskSpec;
  /** Ports of the service's endpoint at the time the task was made. */
  readonly ports: readonly PortConfig[];
  readonly desiredState: DesiredState;
  readonly status: TaskStatus;
  /**
   * Times (ISO) of restarts in this slot that count against the restart policy, carried from
   * task to replacement task so that a leader change does not forget them.
   */
  readonly restartHistory: readonly string[];
}

// ---------------------------------------------------------------- cluster

export interface ClusterSettings {
  /** Old tasks kept per slot (or per node for global services). */
  readonly taskHistoryLimit: number;
  readonly dispatcherHeartbeatMs: number;
  /** Consensus ticks without a leader before a manager campaigns (unset: the consensus plugin's default). */
  readonly electionTick?: number;
  /** Consensus ticks between leader heartbeats (unset: the plugin's default). */
  readonly heartbeatTick?: number;
  /** Log entries between consensus snapshots (unset: the plugin's default). */
  readonly snapshotInterval?: number;
}

export interface Cluster extends StoredObject {
  readonly name: string;
  readonly settings: ClusterSettings;
  /** The CA: root key and join secrets included. Never returned whole by an API. */
  readonly ca?: ClusterCA;
}

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  taskHistoryLimit: 5,
  dispatcherHeartbeatMs: 5000,
};
