import type { Logger } from 'pino';
import type { Hooks } from '../hooks';
import type { VolumeMounter } from './volume-mounter';
import type { LogChannel } from '../logs/contract';
import type { Task } from '../model/types';
import type { RouteChange } from '../network/contract';
import type { RecoveredTask, Runtime } from '../runtime/contract';
import type { AgentSession, AssignmentChange } from './contract';
import { LogPublisher } from './log-publisher';
import { StatusBatcher } from './status-batcher';
import { TaskRunner } from './task-runner';

/** Options of an {@link Agent}. */
export interface AgentOptions {
  readonly clock?: () => Date;
  /** The node's advertise address: tasks reachable through the mesh expose their target ports there. */
  readonly exposeAddress?: string;
  /** Receives the routing state that comes down the session with the assignments. */
  readonly onRoutes?: (change: RouteChange) => void;
  /** The node's log link to the leader: the agent serves the log subscriptions that come down it. */
  readonly logs?: LogChannel;
  /** The node's volume drivers: tasks' volumes are mounted through them. */
  readonly volumes?: VolumeMounter;
  /** Longest a started task without a health check waits for its TCP target ports to answer (ms); default 2000. */
  readonly portReadyTimeoutMs?: number;
}

/** Longest `stop` waits for queued statuses to be sent. */
export const STOP_REPORT_WAIT_MS = 5000;

/**
 * The agent of a node: receives its assignments, runs a TaskRunner per task on the chosen runtime,
 * reports status in batches, and serves the leader's log subscriptions from its tasks' runtimes. At start it lists what the runtimes already have, adopts the
 * containers of known tasks, and removes the rest, so a restart never leaves duplicates or strays.
 */
export class Agent {
  private readonly runners = new Map<string, TaskRunner>();
  private readonly batcher: StatusBatcher;
  private unsubscribe: (() => void) | undefined;
  private recovered = new Map<string, { runtime: Runtime; task: RecoveredTask }>();
  private readonly clock: () => Date;
  private readonly logs: LogPublisher | undefined;

  constructor(
    private readonly session: AgentSession,
    private readonly runtimes: readonly Runtime[],
    private readonly hooks: Hooks,
    private readonly log: Logger,
    private readonly options: AgentOptions = {},
  ) {
    this.batcher = new StatusBatcher(session, log);
    this.clock = options.clock ?? (() => new Date());
    this.logs = options.logs && new LogPublisher({ channel: options.logs, runtimeOf: (id) => this.runtimeOf(id), log });
  }

  async start(): Promise<void> {
    for (const runtime of this.runtimes) {
      for (const task of await runtime.recover()) this.recovered.set(task.taskId, { runtime, task });
    }
    this.unsubscribe = this.session.subscribe((change) => this.onChange(change));
    this.logs?.start();
  }

  /**
   * Stops taking assignments. Tasks keep running; a later start adopts them. Waits up to
   * STOP_REPORT_WAIT_MS for the statuses still queued to reach the managers (they may be unreachable):
   * an agent reports its tasks' states again when it starts.
   */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.logs?.stop();
    await Promise.all([...this.runners.values()].map((r) => r.settled()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.batcher.drain(), new Promise((r) => (timer = setTimeout(r, STOP_REPORT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Stops and removes every task of this node (for `swarm leave --force`). */
  async removeAll(): Promise<void> {
    this.unsubscribe?.();
    for (const r of this.runners.values()) r.delete();
    await Promise.all([...this.runners.values()].map((r) => r.settled()));
    for (const runtime of this.runtimes) {
      await Promise.all((await runtime.recover()).map((t) => runtime.remove(t.taskId)));
    }
  }

  /** Resolves when every runner has finished its queued steps and statuses are sent: for tests. */
  async settled(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.settled()));
    await this.batcher.drain();
  }

  /**
   * Applies a change of assignments. A complete set (the first, and one after every reconnection)
   * replaces what the agent had: a task missing from it was deleted meanwhile and is treated as removed.
   */
  private onChange(change: AssignmentChange): void {
    if (change.routes) this.options.onRoutes?.(change.routes);
    for (const t of change.tasks) {
      const runner = this.runners.get(t.id);
      if (runner) runner.update(t);
      else this.startRunner(t);
    }
    for (const id of change.removed) this.runners.get(id)?.delete();
    if (change.full) {
      const known = new Set(change.tasks.map((t) => t.id));
      for (const [id, r] of this.runners) if (!known.has(id)) r.delete();
      this.removeStrays(known);
    }
    for (const [id, r] of this.runners) if (r.finished) this.runners.delete(id);
  }

  private startRunner(task: Task): void {
    const found = this.recovered.get(task.id);
    this.recovered.delete(task.id);
    const runtime = found?.runtime ?? this.pickRuntime(task);
    if (typeof runtime === 'string') {
      const status = { state: 'rejected' as const, timestamp: this.clock().toISOString(), message: 'preparing', err: runtime };
      this.batcher.report({ taskId: task.id, status });
      return;
    }
    const runner = new TaskRunner(
      task,
      {
        runtime,
        hooks: this.hooks,
        log: this.log,
        clock: this.clock,
        exposeAddress: this.options.exposeAddress,
        volumes: this.options.volumes,
        portReadyTimeoutMs: this.options.portReadyTimeoutMs,
        report: (taskId, status) => this.batcher.report({ taskId, status }),
      },
      found?.task,
    );
    this.runners.set(task.id, runner);
  }

  /** The runtime for a task, or why there is none. */
  private pickRuntime(task: Task): Runtime | string {
    const names = this.runtimes.map((r) => r.name);
    const name = this.hooks.runtime.select.call(task, names) ?? task.spec.runtime ?? names[0];
    const runtime = this.runtimes.find((r) => r.name === name);
    return runtime ?? `runtime "${name}" is not available on this node (it has ${names.join(', ') || 'none'})`;
  }

  /** The runtime that runs (or ran) a task on this node, if it has the task. */
  private runtimeOf(taskId: string): Runtime | undefined {
    return this.runners.get(taskId)?.runtime ?? this.recovered.get(taskId)?.runtime;
  }

  /** Removes what the runtimes had at start that belongs to no assigned task. */
  private removeStrays(known: ReadonlySet<string>): void {
    for (const [id, { runtime, task }] of this.recovered) {
      if (known.has(id)) continue;
      this.recovered.delete(id);
      this.log.info({ task: id, runtimeId: task.runtimeId }, 'removing stray task container');
      runtime.remove(id).catch((err) => this.log.warn({ task: id, err: (err as Error).message }, 'could not remove stray'));
    }
  }
}
