import type { HealthConfig, Labels, NodeDescription, PortBinding, Protocol, Resources, Task } from '../model/types';

/** What a runtime reports about the machine it runs tasks on. */
export interface RuntimeDescription {
  readonly hostname: string;
  readonly platform: NodeDescription['platform'];
  readonly resources: Resources;
  readonly engine: { readonly version: string; readonly labels: Labels };
}

/** A port the runtime binds on the host for a task (host-mode publishing). */
export interface HostPortBinding {
  readonly protocol: Protocol;
  readonly targetPort: number;
  readonly hostPort: number;
  /** Host address to bind; undefined means all addresses. */
  readonly hostIp?: string;
}

/** A runtime network a task joins, as a network driver names it. */
export interface RuntimeNetworkAttachment {
  /** The runtime's name for the network (for Docker, a network name). */
  readonly name: string;
  /** The task's fixed IPv4 address on it, when the cluster allocated one. */
  readonly ipv4Address?: string;
  /** Further names the task answers to on it, for the runtime's own resolver. */
  readonly aliases?: readonly string[];
}

/** A target port of a task. */
export interface TargetPort {
  readonly protocol: Protocol;
  readonly targetPort: number;
}

/** The distinct target ports among `ports` (by protocol and number), in first-seen order, as bare target ports. */
export function distinctTargetPorts(ports: Iterable<TargetPort>): TargetPort[] {
  const seen = new Map<string, TargetPort>();
  for (const p of ports) {
    const key = `${p.targetPort}/${p.protocol}`;
    if (!seen.has(key)) seen.set(key, { protocol: p.protocol, targetPort: p.targetPort });
  }
  return [...seen.values()];
}

/** How a task is connected, as the `network.attach` hook builds it before the task is prepared. */
export interface TaskNetworkPlan {
  /** Runtime networks to join, in order (the first is primary). Empty means the runtime's default network. */
  readonly networks: readonly RuntimeNetworkAttachment[];
  /** Fixed host ports (`mode=host` publishing). */
  readonly hostPorts: readonly HostPortBinding[];
  /**
   * Target ports to bind on an ephemeral host port of `exposeAddress`, where other nodes reach the task.
   * The runtime adds the ports its image declares (Docker's EXPOSE).
   */
  readonly exposedPorts: readonly TargetPort[];
  /** Host address exposed ports bind on: the node's advertise address. Unset: nothing is exposed. */
  readonly exposeAddress?: string;
  /** DNS servers the task resolves names with (its networks' resolvers on this node). Empty: the runtime's default. */
  readonly dns: readonly string[];
}

/** What a started task reports: where it answers. */
export interface StartedTask {
  /** Its address on its node (e.g. a container IP), when it has one. */
  readonly addr?: string;
  /** Its exposed target ports as bound on the host. */
  readonly ports?: readonly PortBinding[];
}

/** How a task's process ended. */
export interface TaskExit {
  /** Process exit code; -1 when the runtime could not tell (e.g. the container vanished). */
  readonly exitCode: number;
  /** Why, when the runtime knows more than the code ("OOM killed", "container removed"). */
  readonly reason?: string;
}

/** A task the runtime already has for this node, found by `recover`. */
export interface RecoveredTask {
  readonly taskId: string;
  readonly runtimeId: string;
  readonly running: boolean;
  readonly exitCode?: number;
  readonly addr?: string;
  readonly ports?: readonly PortBinding[];
  /** The health check its image declares, as `prepare` reports it (so an adopted task keeps being checked). */
  readonly healthcheck?: HealthConfig;
}

/** How much of a task's log `Runtime.logs` delivers. */
export interface LogOptions {
  /** Keep streaming new lines until the task's process ends or the stream is aborted. */
  readonly follow: boolean;
  /** Only the last `tail` lines already written (0: none); all of them when unset. */
  readonly tail?: number;
  /** Only lines written at or after this time (epoch milliseconds). */
  readonly sinceMs?: number;
}

/** One line a task wrote, as its runtime recorded it. */
export interface LogLine {
  /** The output the line was written to. */
  readonly stream: 'stdout' | 'stderr';
  /** When the runtime recorded it: an RFC 3339 time with up to nanoseconds, as the runtime gives it. */
  readonly timestamp: string;
  /** The line, without its line break. */
  readonly text: string;
}

/**
 * A runtime runs tasks (provider; several may be registered, one per name, under `Tokens.Runtime`).
 * Each instance serves one node: every resource it makes is scoped to that node, so several nodes may
 * share one engine. All methods are idempotent where that makes sense (prepare an already prepared task,
 * remove an already removed one) so that the agent can retry after a crash.
 */
export interface Runtime {
  /** Name used in `TaskSpec.runtime` and by the `runtime.select` hook, e.g. `docker`. */
  readonly name: string;
  /** Resources, platform and engine labels of this node. */
  describe(): Promise<RuntimeDescription>;
  /**
   * Makes the task ready to start (image present, container created). Rejects with a clear reason if it
   * cannot. Resolves with the runtime's handle and the health check the image declares, if any (the
   * runtime does not run it: the agent does).
   */
  prepare(task: Task, network: TaskNetworkPlan): Promise<{ runtimeId: string; healthcheck?: HealthConfig }>;
  /** Starts a prepared task; resolves with where it answers. */
  start(taskId: string): Promise<StartedTask>;
  /** Resolves when the task's process exits (at once if it already has). */
  wait(taskId: string): Promise<TaskExit>;
  /** Asks the process to stop, killing it after `graceMs`. */
  stop(taskId: string, graceMs: number): Promise<void>;
  /** Removes everything the task left behind. */
  remove(taskId: string): Promise<void>;
  /** Runs a command in a running task and resolves with its exit code and output (stdout and stderr). */
  exec?(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<{ exitCode: number; output: string }>;
  /**
   * Delivers the lines the task's process wrote, in the order it wrote them on each stream, to `onLine`:
   * the last `options.tail` lines (all when unset) written since `options.sinceMs`, then, with
   * `options.follow`, each new line as it is written. Resolves when the stream ends: at once after the
   * lines already written without `follow`; with it, once the process has ended and its lines are
   * delivered, or once `signal` aborts (then without error, and no further line is delivered).
   * @throws Error when the task has nothing on this node (e.g. its container is gone) or the runtime fails.
   */
  logs?(taskId: string, options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void>;
  /** True when this node can run `image`: it is present, or the runtime fetched it just now. */
  hasImage?(image: string): Promise<boolean>;
  /** Every task this node has in the runtime, running or not: used to adopt or clean up after a restart. */
  recover(): Promise<RecoveredTask[]>;
}
