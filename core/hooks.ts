import { AsyncParallelHook, AsyncSeriesBailHook, AsyncSeriesWaterfallHook, HookMap, SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
import type { ClusterDialer, ClusterServer } from './cluster/contract';
import type { Node, PortBinding, PortConfig, ServiceSpec, Task } from './model/types';
import type { DnsQuery, Endpoint, NetworkRoutes } from './network/contract';
import type { TaskState } from './model/task-state';
import type { TaskNetworkPlan } from './runtime/contract';
import type { FilterRejection, NodeInfo } from './scheduler/contract';
import type { VolumeDriver } from './volume/contract';

/** A task's move from one observed state to another, after the store committed it. */
export interface TaskTransition {
  readonly task: Task;
  readonly from: TaskState | undefined;
  readonly to: TaskState;
}

export type { Endpoint } from './network/contract';

/** The endpoints of one service, as the routing mesh needs them. */
export interface ServiceEndpoints {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly ports: readonly PortConfig[];
  /** Running tasks; empty once the service is gone. */
  readonly endpoints: readonly Endpoint[];
}

/** One reconcile pass of a manager's control loop, as `loops.pass` reports it. */
export interface LoopPass {
  /** The loop's name: `allocator`, `scheduler`, `replicated-orchestrator`, `global-orchestrator`, `restart-supervisor`, `task-reaper`. */
  readonly loop: string;
  /** How long the pass took (ms), without the wait before a retry. */
  readonly durationMs: number;
  /** False when the pass threw (a write conflict included): its keys are retried. */
  readonly ok: boolean;
}

/** A pass of the scheduler loop over the pending tasks, as `scheduler.decided` reports it. */
export interface SchedulingPass {
  /** Tasks it assigned to a node (ASSIGNED written to the store). */
  readonly placed: number;
  /** How long deciding took (ms): grouping, node infos and the Scheduler provider, without the writes. */
  readonly durationMs: number;
  /** Tasks left PENDING after the pass: no node fits them (yet). */
  readonly pending: number;
}

/** Health check kinds that `health.check` dispatches on. */
export type HealthCheckKind = 'exec' | 'http' | 'tcp';

/** Parameters of one health probe. */
export interface HealthProbe {
  readonly kind: HealthCheckKind;
  /** exec: the command (argv); http: `[port, path]`; tcp: `[port]`. */
  readonly target: readonly string[];
  readonly timeoutMs: number;
}

/** Result of one health probe. */
export interface HealthResult {
  readonly healthy: boolean;
  readonly output: string;
}

/** What a health checker may use of the task it probes, on the task's node. */
export interface HealthContext {
  /** The task's address on its node (e.g. its container IP), where http and tcp probes go. */
  readonly addr?: string;
  /** Its target ports as bound on its node: where probes go when it has no address of its own (a process task). */
  readonly ports?: readonly PortBinding[];
  /** Runs a command in the task, when its runtime can; resolves with its exit code and output. */
  readonly exec?: (cmd: readonly string[], timeoutMs: number) => Promise<{ readonly exitCode: number; readonly output: string }>;
}

/**
 * Every extension point of the kernel that takes many participants, in one place.
 * Tap at boot (inside `Plugin.apply`), not on a hot path: tapable compiles each hook on first call.
 * Providers (exactly one active implementation) are not hooks: see `Tokens`.
 */
export class Hooks {
  readonly scheduler = {
    /**
     * Decides whether `task` may run on `node`. Sync bail: taps run in order (by `stage`), and the first
     * that returns a rejection turns the node down; `undefined` lets the next tap decide.
     * Called by the scheduler once per (task group, node) and again as nodes fill up; must be pure and fast.
     */
    filter: new SyncBailHook<[Task, NodeInfo], FilterRejection | undefined>(['task', 'node']),
    /**
     * Scores a node that passed every filter; higher is better. Sync waterfall: each tap gets the score
     * so far (starting at 0) and returns the new one. Must be pure and fast.
     */
    score: new SyncWaterfallHook<[number, Task, NodeInfo]>(['score', 'task', 'node']),
    /**
     * The scheduler loop decided on the pending tasks and wrote its decisions (also when a write failed:
     * `placed` counts what was written). Sync, on the leader, once per pass that found pending tasks.
     * For metrics; taps must be fast (a tap that throws is logged and ignored).
     */
    decided: new SyncHook<[SchedulingPass]>(['pass']),
  };

  readonly dispatcher = {
    /**
     * The number of nodes with an open session on this manager's dispatcher changed (it serves while this
     * manager leads; 0 when it stops). Sync; for metrics.
     */
    sessions: new SyncHook<[number]>(['count']),
  };

  readonly loops = {
    /**
     * A control loop finished a reconcile pass. Sync, on the leader, once per pass of every loop the
     * manager runs. For metrics; taps must be fast (a tap that throws is logged and ignored).
     */
    pass: new SyncHook<[LoopPass]>(['pass']),
  };

  readonly constraints = {
    /**
     * Values of constraint keys, one hook per key. A key such as `node.labels.zone` is looked up first
     * as itself, then by its prefix (`node.labels`); the tap gets the node and the full key and returns
     * the value, or `undefined` when the node lacks it (then `==` fails and `!=` passes).
     * A key with no tap is unknown: services that use it are refused. Sync bail; must be pure.
     */
    key: new HookMap(() => new SyncBailHook<[Node, string], string | undefined>(['node', 'key'])),
  };

  readonly service = {
    /**
     * Checks a service spec before any write. Sync bail: the first tap that returns an error message
     * refuses the spec with that message (it should name the field). Runs on create and update.
     */
    validate: new SyncBailHook<[ServiceSpec], string | undefined>(['spec']),
  };

  readonly task = {
    /**
     * A task's observed state changed (after commit, on the manager that applied it). Async parallel:
     * every tap runs; errors are logged, never fed back into the store. Use it for events, metrics, logs.
     */
    transition: new AsyncParallelHook<[TaskTransition]>(['transition']),
  };

  readonly runtime = {
    /**
     * Chooses which runtime runs `task` on this node, from the names the node has (its default first).
     * Sync bail: the first name returned wins; when no tap answers, `task.spec.runtime` or the node's
     * default is used.
     */
    select: new SyncBailHook<[Task, readonly string[]], string | undefined>(['task', 'runtimes']),
  };

  readonly network = {
    /**
     * Builds a task's network plan before the runtime prepares it. Async series waterfall: each tap gets
     * the plan so far (initially no networks and a host binding for each `mode=host` port) and returns it,
     * possibly extended. Runs on the agent of the task's node.
     */
    attach: new AsyncSeriesWaterfallHook<[TaskNetworkPlan, Task]>(['plan', 'task']),
    /**
     * A task's runtime resources were removed on this node: taps undo what they did in `attach`.
     * Async parallel; errors are logged.
     */
    detach: new AsyncParallelHook<[Task]>(['task']),
    /**
     * A network's routes on this node changed: the services on it, their virtual IPs and endpoints, and
     * whether this node serves it. Sync; called on every node once per change, after the network's driver
     * has made its addresses local. The node's DNS server and virtual-IP proxy tap it.
     */
    routes: new SyncHook<[NetworkRoutes]>(['routes']),
    /**
     * Answers a DNS question asked of a node's resolver for a network: the IPv4 addresses of the name, `[]`
     * for a name that is known to have none right now, or `undefined` to let the next tap (and finally the
     * upstream resolvers) answer. Sync bail; must be fast. The kernel's own tap (stage 100) answers service
     * names, aliases and `tasks.<service>` on the networks of the asking task.
     */
    resolve: new SyncBailHook<[DnsQuery], readonly string[] | undefined>(['query']),
  };

  readonly health = {
    /**
     * Health probes by kind (`exec`, `http`, `tcp`). Async series bail: the first tap that returns a
     * result answers the probe (no tap: the probe fails, naming the kind). Called by the agent of the
     * task's node at each interval of its health check; a probe must finish within `probe.timeoutMs`.
     */
    check: new HookMap(() => new AsyncSeriesBailHook<[Task, HealthProbe, HealthContext], HealthResult | undefined>(['task', 'probe', 'context'])),
  };

  readonly volume = {
    /**
     * A volume driver by name that no `Tokens.VolumeDriver` provider has. Async series bail: the first tap
     * that returns a driver supplies it (the Docker volume plugin adapter looks for a Docker plugin of that
     * name). Called on the node that needs it, when a task mounts a volume of that driver or `orch volume`
     * names it; the agent keeps the driver it gets.
     */
    driver: new AsyncSeriesBailHook<[string], VolumeDriver | undefined>(['name']),
  };

  readonly cluster = {
    /**
     * A manager's cluster listener is about to start. Sync, called once per daemon on managers only: taps
     * add their gRPC services to `server` (and must `authorize` every call) and may keep `dialer` to reach
     * other managers with this node's certificate. store-raft serves its member-to-member stream here.
     */
    listener: new SyncHook<[ClusterServer, ClusterDialer]>(['server', 'dialer']),
  };

  readonly ingress = {
    /**
     * A service's published ports or its set of running endpoints changed (or it was removed: no
     * endpoints, no ports). Sync; the routing mesh taps it to update its listeners and backends.
     * Called on every node, once per change, in commit order, for every service that publishes ports or
     * has endpoints.
     */
    endpoints: new SyncHook<[ServiceEndpoints]>(['endpoints']),
  };
}
