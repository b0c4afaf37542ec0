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
  /** The plugins its daemon loaded, in the order they applied (`orch plugin ls`). */
  readonly plugins?: readonly PluginInfo[];
}

/** A plugin as a node's kernel applied it: what it is and what it did. */
export interface PluginInfo {
  readonly name: string;
  readonly version: string;
  /** Hooks it tapped while it applied, by path, sorted. */
  readonly taps: readonly string[];
  /** Providers it registered, by token name, sorted. */
  readonly provides: readonly string[];
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

/**
 * A task's health check, as Docker's HEALTHCHECK describes it. `test` is `['NONE']` (no check, not even the
 * image's), `['CMD', exe, ...args]` or `['CMD-SHELL', command]` (run in the task), `['HTTP', port, path]`
 * (a GET answered 2xx or 3xx) or `['TCP', port]` (a connection accepted), the last two at the task's address.
 */
export interface HealthConfig {
  readonly test: readonly string[];
  /** Between the end of one probe and the start of the next; default 30 s. */
  readonly intervalMs: number;
  /** A probe that takes longer fails; default 30 s. */
  readonly timeoutMs: number;
  /** Consecutive failures that make the task unhealthy; default 3. */
  readonly retries: number;
  /** Failures in this time after start do not count (a success still counts); default 0. */
  readonly startPeriodMs: number;
}

export interface ContainerSpec {
  readonly image: string;
  /** Replaces the image's entrypoint when set. */
  readonly command?: readonly string[];
  /** Arguments (the image's CMD is replaced when non-empty). */
  readonly args: readonly string[];
  /** `KEY=VALUE` entries. */
  readonly env: readonly string[];
  /** Working directory of its command; unset: the image's (Docker), the task's own directory (process runtime). */
  readonly workdir?: string;
  /** Labels put on the container. */
  readonly labels: Labels;
  readonly stopGracePeriodMs: number;
  /** Its health check; unset: the image's own, if it has one. */
  readonly healthcheck?: HealthConfig;
  /** Filesystems mounted into the task, in order. Default none. */
  readonly mounts?: readonly Mount[];
}

/**
 * A filesystem mounted into a task (swarm mode's Mount). `volume`: a named volume of the node, made by its
 * volume driver on first use (no source: an anonymous volume of the task); `bind`: a host path of the node;
 * `tmpfs`: memory, no source.
 */
export interface Mount {
  readonly type: 'volume' | 'bind' | 'tmpfs';
  /** Volume name (`volume`) or absolute host path (`bind`); none for `tmpfs`. */
  readonly source?: string;
  /** Absolute path in the task. */
  readonly target: string;
  readonly readOnly?: boolean;
  /** For `volume`: the driver that makes it (default `local`), its options and labels. */
  readonly volume?: { readonly driver?: string; readonly options?: Labels; readonly labels?: Labels };
  /** For `tmpfs`: its size limit (bytes) and file mode. */
  readonly tmpfs?: { readonly sizeBytes?: number; readonly mode?: number };
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
  /** Bumped by `service update --force` to replace every task although nothing else changed; default 0. */
  readonly forceUpdate?: number;
}

/** How a rolling update replaces a service's tasks (swarm mode's UpdateConfig). */
export interface UpdateConfig {
  /** Tasks replaced at a time; 0 means all at once. Default 1. */
  readonly parallelism: number;
  /** Wait between batches (ms). Default 0. */
  readonly delayMs: number;
  /** `stop-first` stops the old task before the new one starts; `start-first` overlaps them. */
  readonly order: 'stop-first' | 'start-first';
  /**
   * What a failure beyond `maxFailureRatio` does: pause the update, carry on, or roll the service back to
   * its previous spec (update configs only; a rollback cannot roll back). Default pause.
   */
  readonly failureAction: 'pause' | 'continue' | 'rollback';
  /** A new task that fails within this long (ms) counts as a failure of the update. Default 5000. */
  readonly monitorMs: number;
  /** Share of the tasks (0 to 1) that may fail before `failureAction` applies. Default 0. */
  readonly maxFailureRatio: number;
}

/** Where a service's rolling update (or rollback) stands, as swarm mode names the states. */
export interface UpdateStatus {
  readonly state: 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';
  readonly startedAt: string;
  readonly completedAt?: string;
  readonly message: string;
  /** The spec version the update rolls out (a newer version starts, or resumes, an update). */
  readonly specVersion: number;
}

export type Protocol = 'tcp' | 'udp';
export type PublishMode = 'ingress' | 'host';
/**
 * How a service is found on its networks: `vip` gives it one stable address per network, served by every
 * node's proxy; `dnsrr` answers its name with the addresses of its running tasks.
 */
export type EndpointMode = 'vip' | 'dnsrr';

export interface PortConfig {
  readonly protocol: Protocol;
  readonly targetPort: number;
  /** 0 asks the allocator for a port from the dynamic range. */
  readonly publishedPort: number;
  readonly publishMode: PublishMode;
}

export type ServiceMode = { readonly replicated: { readonly replicas: number } } | { readonly global: Record<string, never> };

/** A network a service's tasks join. */
export interface NetworkAttachmentConfig {
  /** The network's id once stored (a spec may name it by name or id; the API stores the id). */
  readonly target: string;
  /** Further names the service answers to on this network. */
  readonly aliases?: readonly string[];
}

/** How a service is reached: its published ports and how its name resolves. */
export interface EndpointSpec {
  /** Default `vip`. */
  readonly mode?: EndpointMode;
  readonly ports: readonly PortConfig[];
}

export interface ServiceSpec {
  readonly name: string;
  readonly labels: Labels;
  readonly mode: ServiceMode;
  readonly task: TaskSpec;
  /** Networks its tasks join, in order (the first is their primary network). Default none. */
  readonly networks?: readonly NetworkAttachmentConfig[];
  readonly endpoint: EndpointSpec;
  /** How spec changes roll out to its tasks; unset: the defaults of `DEFAULT_UPDATE_CONFIG`. */
  readonly updateConfig?: UpdateConfig;
  /** How a rollback rolls the previous spec back out (failure action pause or continue); unset: the same defaults. */
  readonly rollbackConfig?: UpdateConfig;
}

/** A service's stable address on one network (endpoint mode `vip`). */
export interface VirtualIp {
  readonly networkId: string;
  readonly addr: string;
}

/** A service's endpoint after allocation. */
export interface ServiceEndpoint {
  readonly mode?: EndpointMode;
  /** Ports with published ports filled in. */
  readonly ports: readonly PortConfig[];
  /** One per network it is on, in vip mode; set by the allocator. */
  readonly virtualIps?: readonly VirtualIp[];
}

export interface Service extends StoredObject {
  readonly spec: ServiceSpec;
  /** Incremented on every spec change; tasks record the version they were made from. */
  readonly specVersion: number;
  readonly previousSpec?: ServiceSpec;
  readonly endpoint: ServiceEndpoint;
  /** Its latest rolling update, set by the updater; unset until one ran. */
  readonly updateStatus?: UpdateStatus;
}

// ---------------------------------------------------------------- networks

export interface NetworkSpec {
  /** Unique among networks; the same rules as service names. */
  readonly name: string;
  /** Name of the network driver that implements it on each node; default `overlay`. */
  readonly driver: string;
  readonly labels: Labels;
  /** Whether containers the cluster does not manage may join it on a node. */
  readonly attachable: boolean;
  /** IPv4 subnet (CIDR) asked for; the manager picks one from its pool when unset. */
  readonly subnet?: string;
  /** Options passed to the driver as they are. */
  readonly options?: Labels;
}

export interface Network extends StoredObject {
  readonly spec: NetworkSpec;
  /** The network's IPv4 subnet (CIDR): task addresses and virtual IPs come from it. */
  readonly subnet: string;
  /** The first address of the subnet: each node's side of the network (its DNS server answers there). */
  readonly gateway: string;
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
  /** When it reached RUNNING (kept by the store through later states; agents do not send it). */
  readonly startedAt?: string;
  /** The runtime's handle, e.g. a container id. */
  readonly runtimeId?: string;
  /** Address where the task's target ports answer on its node (a container IP). */
  readonly addr?: string;
  /** Its target ports as bound on its node's advertise address, where other nodes reach them. */
  readonly ports?: readonly PortBinding[];
}

/** A task's target port bound on a host address. */
export interface PortBinding {
  readonly protocol: Protocol;
  readonly targetPort: number;
  readonly hostIp: string;
  readonly hostPort: number;
}

/** A task's address on one network, given by the allocator. */
export interface TaskNetworkAttachment {
  readonly networkId: string;
  /** IPv4 address within the network's subnet. */
  readonly addr: string;
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
  /** Its addresses on its service's networks, in the service's order; set by the allocator. */
  readonly networks?: readonly TaskNetworkAttachment[];
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
