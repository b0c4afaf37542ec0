import type { Network, NetworkSpec, NodeAvailability, Node, Service, ServiceSpec, Task } from '../model/types';
import type { DesiredState, TaskState } from '../model/task-state';
import type { ChangeEvent, TableName } from '../store/contract';
import type { ClusterEvent } from '../events/cluster-events';
import type { EventFilters } from '../events/event-filters';
import type { LogStreamMessage } from '../logs/contract';
import type { Volume } from '../volume/contract';

/** A service with its task counts, as `service ls` shows it. */
export interface ServiceSummary {
  readonly service: Service;
  /** Tasks of the service whose observed state is RUNNING and desired state RUNNING. */
  readonly running: number;
  /** Replicas wanted (replicated) or eligible nodes (global). */
  readonly desired: number;
}

/** A manager as consensus sees it (`node ls` MANAGER STATUS, `node inspect` ManagerStatus). */
export interface ManagerStatus {
  /** Cluster address other managers reach it at. */
  readonly addr: string;
  readonly leader: boolean;
  /** Whether the leader has heard from it lately; `unknown` when no leader answers for it. */
  readonly reachability: 'reachable' | 'unreachable' | 'unknown';
}

/** Filters of `service ps` / TaskList, as docker's `--filter` names them. */
export interface TaskFilters {
  readonly service?: readonly string[];
  readonly node?: readonly string[];
  readonly id?: readonly string[];
  readonly name?: readonly string[];
  readonly desiredState?: readonly DesiredState[];
  readonly state?: readonly TaskState[];
}

export interface DaemonInfo {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: 'manager' | 'worker';
  readonly version: string;
  readonly pid: number;
  readonly storeVersion: number;
}

/**
 * The control API a daemon serves (over its unix socket; to remote managers over mutual TLS later).
 * Every request is untrusted JSON and is validated by the server; errors carry an ErrorCode and,
 * for bad input, the field.
 */
export interface ControlApi {
  Info: { req: Record<string, never>; res: DaemonInfo };
  ServiceCreate: { req: { spec: ServiceSpec }; res: { service: Service } };
  ServiceList: { req: { filters?: { name?: readonly string[]; id?: readonly string[]; mode?: readonly ('replicated' | 'global')[] } }; res: { services: ServiceSummary[] } };
  /** `ref` is an id, a unique id prefix, or a name. */
  ServiceInspect: { req: { ref: string }; res: { service: Service } };
  ServiceScale: { req: { ref: string; replicas: number }; res: { service: Service } };
  /**
   * Replaces a service's spec (its name cannot change) as a new spec version. With `version`, refused with
   * a conflict when the service changed since that store version was read. Published ports already
   * allocated stay with the ports that keep them; new ones are allocated.
   */
  ServiceUpdate: { req: { ref: string; spec: ServiceSpec; version?: number }; res: { service: Service } };
  /**
   * Puts a service back on its previous spec, as a new spec version (the spec it leaves becomes the previous
   * one, so a second rollback undoes the first); the updater rolls it out with the rollback config and
   * update status `rollback_started`. Refused when the service has no previous spec. `version` as for ServiceUpdate.
   */
  ServiceRollback: { req: { ref: string; version?: number }; res: { service: Service } };
  ServiceRemove: { req: { ref: string }; res: { id: string } };
  TaskList: { req: { filters?: TaskFilters }; res: { tasks: Task[]; services: Record<string, string>; nodes: Record<string, string> } };
  /** `managers` holds the consensus view of each manager node, by node id (as the leader sees it). */
  NodeList: { req: Record<string, never>; res: { nodes: Node[]; self: string; managers: Record<string, ManagerStatus> } };
  NodeInspect: { req: { ref: string }; res: { node: Node; managerStatus?: ManagerStatus } };
  NodeUpdate: {
    req: { ref: string; availability?: NodeAvailability; labelAdd?: Record<string, string>; labelRm?: readonly string[] };
    res: { node: Node };
  };
  /** The join token for a role; with `rotate`, a new one replaces it first (the old stops working). */
  JoinToken: { req: { role: 'worker' | 'manager'; rotate?: boolean }; res: { token: string } };
  /** The root certificates the cluster trusts (PEM), and the progress of a root rotation under way. */
  CARoot: { req: Record<string, never>; res: { rootsPem: string; rotation?: { renewed: number; total: number } } };
  /** Begins a root rotation: a new root; every node renews onto it; then the old root is dropped. */
  CARotate: { req: Record<string, never>; res: Record<string, never> };
  /** Changes cluster settings; omitted fields keep their value. */
  SwarmUpdate: {
    req: { certExpiryMs?: number; dispatcherHeartbeatMs?: number; taskHistoryLimit?: number; electionTick?: number; heartbeatTick?: number; snapshotInterval?: number };
    res: Record<string, never>;
  };
  /** Creates a network (driver `overlay` unless named); a subnet is picked when none is asked for. */
  NetworkCreate: { req: { spec: Partial<NetworkSpec> & { name: string } }; res: { network: Network } };
  NetworkList: { req: { filters?: { name?: readonly string[]; id?: readonly string[]; driver?: readonly string[] } }; res: { networks: Network[] } };
  /** `ref` is an id, a unique id prefix, or a name. `services` are the ids of the services attached to it. */
  NetworkInspect: { req: { ref: string }; res: { network: Network; services: string[] } };
  /** Removes a network; refused while a service is attached to it. */
  NetworkRemove: { req: { ref: string }; res: { id: string } };
  /** Removes a node; one that is not down needs `force`. Its certificate stops working and its tasks move. */
  NodeRemove: { req: { ref: string; force?: boolean }; res: { id: string } };
  /**
   * Promotes a worker to manager or demotes a manager to worker; the node then renews its certificate
   * and restarts in its new role. A demotion that would cost the managers their quorum needs `force`.
   */
  NodeRole: { req: { ref: string; role: 'manager' | 'worker'; force?: boolean }; res: { node: Node; changed: boolean } };
  /**
   * Stops the daemon. With `leave`, it first stops and removes every task of this node and then
   * deletes the node's cluster state (`swarm leave --force`); without, tasks keep running and a later
   * `orch daemon` picks everything up again.
   */
  Shutdown: { req: { leave: boolean }; res: Record<string, never> };
  /**
   * Volumes are per node (`orch volume`): these four are served by the node the CLI talks to, manager or
   * worker, never forwarded. Create makes a volume with a driver (default `local`); an existing volume of
   * that name is returned as it is. Remove refuses a volume a task of the node has mounted.
   */
  VolumeCreate: { req: { name: string; driver?: string; options?: Readonly<Record<string, string>>; labels?: Readonly<Record<string, string>> }; res: { volume: Volume } };
  /** Volumes of every driver this node has loaded or used, by name; filters match a name part, a driver, or a label `key` / `key=value`. */
  VolumeList: { req: { filters?: { name?: readonly string[]; driver?: readonly string[]; label?: readonly string[] } }; res: { volumes: Volume[] } };
  VolumeInspect: { req: { name: string }; res: { volume: Volume } };
  VolumeRemove: { req: { name: string }; res: Record<string, never> };
}
export type ControlMethod = keyof ControlApi;

/** Server-streaming call: committed store changes from `fromVersion` on, optionally only some tables. */
export interface WatchRequest {
  readonly fromVersion?: number;
  readonly tables?: readonly TableName[];
}
export type WatchMessage = { readonly version: number; readonly events: readonly ChangeEvent[] };

/**
 * Server-streaming call `Events` (`orch events`): cluster events as they are committed. With `since`
 * (ISO time), the retained events from then on come first; with `until`, the stream ends once that time
 * passes (at once, after the replay, when it has passed). `until` alone replays from the oldest retained.
 */
export interface EventsRequest {
  readonly since?: string;
  readonly until?: string;
  readonly filters?: EventFilters;
}
/** One message of the `Events` stream: one event. */
export type EventsMessage = ClusterEvent;

export const CONTROL_METHODS: readonly ControlMethod[] = [
  'Info',
  'ServiceCreate',
  'ServiceList',
  'ServiceInspect',
  'ServiceScale',
  'ServiceUpdate',
  'ServiceRollback',
  'ServiceRemove',
  'TaskList',
  'NodeList',
  'NodeInspect',
  'NodeUpdate',
  'JoinToken',
  'CARoot',
  'CARotate',
  'SwarmUpdate',
  'NetworkCreate',
  'NetworkList',
  'NetworkInspect',
  'NetworkRemove',
  'NodeRemove',
  'NodeRole',
  'Shutdown',
  'VolumeCreate',
  'VolumeList',
  'VolumeInspect',
  'VolumeRemove',
];

/**
 * Server-streaming call `ServiceLogs` (`orch service logs`): the logs of every task of a service, or of
 * one task, from every node that runs or ran one; served by the leader (other managers relay it). `ref`
 * names a service (id, name, unique id prefix) or else a task (id, unique id prefix). Without `follow`
 * the stream ends once every node delivered its lines; with it, lines keep coming, and so do tasks of the
 * service that start later, until the caller cancels. `tail`: the last lines of each task (all when
 * unset); `sinceMs`: only lines written from then on (epoch milliseconds).
 */
export interface ServiceLogsRequest {
  readonly ref: string;
  readonly follow?: boolean;
  readonly tail?: number;
  readonly sinceMs?: number;
}
/** One message of the `ServiceLogs` stream: tasks (before their first line), lines, or nodes whose logs are missing. */
export type ServiceLogsMessage = LogStreamMessage;
