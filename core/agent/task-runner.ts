import type { Logger } from 'pino';
import type { Hooks } from '../hooks';
import type { HealthConfig, PortBinding, Task, TaskStatus } from '../model/types';
import { HealthMonitor } from './health-monitor';
import { acceptsBy, PORT_READY_TIMEOUT_MS, readinessTargets } from './port-readiness';
import type { VolumeMounter } from './volume-mounter';
import { effectiveHealthcheck } from './health-state';
import { canTransition, isTerminal, stateRank, wantsToRun, type TaskState } from '../model/task-state';
import { distinctTargetPorts, type RecoveredTask, type Runtime, type TaskExit, type TaskNetworkPlan } from '../runtime/contract';

/** What a TaskRunner needs from its agent. */
export interface TaskRunnerDeps {
  readonly runtime: Runtime;
  readonly hooks: Hooks;
  readonly log: Logger;
  readonly clock: () => Date;
  /** The node's advertise address: tasks expose their target ports there for other nodes. */
  readonly exposeAddress?: string;
  /** How long an unhealthy task keeps running after it is reported failed, so the mesh stops sending it traffic first (ms); default 1000. */
  readonly unhealthyStopDelayMs?: number;
  /** Longest a started task without a health check waits for its TCP target ports to answer (ms); default 2000. */
  readonly portReadyTimeoutMs?: number;
  /** Mounts the task's volumes before it is prepared and unmounts them after it is removed; none: mounts go to the runtime as they are. */
  readonly volumes?: VolumeMounter;
  /** Sends a status change of this task up to the managers. */
  report(taskId: string, status: TaskStatus): void;
}

/**
 * The network plan a task starts from: host bindings for its `mode=host` ports, and, when it can be
 * reached through the mesh (it has ingress ports or networks), its target ports exposed on `exposeAddress`.
 */
export function initialNetworkPlan(task: Task, exposeAddress?: string): TaskNetworkPlan {
  const onNetworks = (task.networks?.length ?? 0) > 0;
  const exposed = distinctTargetPorts(task.ports.filter((p) => p.publishMode === 'ingress' || onNetworks));
  return {
    networks: [],
    hostPorts: task.ports
      .filter((p) => p.publishMode === 'host' && p.publishedPort > 0)
      .map((p) => ({ protocol: p.protocol, targetPort: p.targetPort, hostPort: p.publishedPort })),
    exposedPorts: exposed,
    ...((exposed.length > 0 || onNetworks) && exposeAddress !== undefined && { exposeAddress }),
    dns: [],
  };
}

/** True for the states managers set, before a node takes a task up (NEW, PENDING, ASSIGNED). */
const isManagerState = (s: TaskState) => s === 'new' || s === 'pending' || s === 'assigned';

/** Status message for an exit, as swarm mode words it. */
export function describeExit(exit: TaskExit): { state: TaskState; message: string; err?: string } {
  if (exit.exitCode === 0) return { state: 'complete', message: 'finished' };
  const err = `task: non-zero exit (${exit.exitCode})${exit.reason ? `: ${exit.reason}` : ''}`;
  return { state: 'failed', message: 'started', err };
}

/**
 * Drives one task on this node toward its desired state through the runtime, one step at a time
 * (steps never overlap), and reports every observed state. Safe to re-drive after a daemon restart:
 * prepare and remove are idempotent and a found container is adopted.
 */
export class TaskRunner {
  private task: Task;
  private observed: TaskState;
  private runtimeId: string | undefined;
  private addr: string | undefined;
  private ports: readonly PortBinding[] | undefined;
  private volumesReleased = false;
  /** The health check the task runs, once prepared (its spec's, else its image's). */
  private healthcheck: HealthConfig | undefined;
  private health: HealthMonitor | undefined;
  private prepared = false;
  private started = false;
  /** True once the task's process has run: its remains are then kept as history until the task is deleted. */
  private everStarted = false;
  private stopping = false;
  private removed = false;
  private deleted = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    task: Task,
    private readonly deps: TaskRunnerDeps,
    recovered?: RecoveredTask,
  ) {
    this.task = task;
    this.observed = task.status.state;
    if (recovered) this.adopt(recovered);
    this.kick();
  }

  get id(): string {
    return this.task.id;
  }

  /** The runtime the task runs on. */
  get runtime(): Runtime {
    return this.deps.runtime;
  }

  /** A newer version of the task arrived from the managers (a state only managers set — assigned — is taken over). */
  update(task: Task): void {
    this.task = task;
    if (isManagerState(this.observed) && stateRank(task.status.state) > stateRank(this.observed)) this.observed = task.status.state;
    this.kick();
  }

  /** The task is gone from the store: stop it and remove what it left. */
  delete(): void {
    this.deleted = true;
    this.kick();
  }

  /** Resolves when every step queued so far has run. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** True once the runner has nothing left to do and can be forgotten. */
  get finished(): boolean {
    return this.deleted && this.removed;
  }

  private adopt(rec: RecoveredTask): void {
    this.prepared = true;
    this.runtimeId = rec.runtimeId;
    this.addr = rec.addr;
    this.ports = rec.ports;
    this.everStarted = rec.running || stateRank(this.observed) >= stateRank('starting');
    this.healthcheck = effectiveHealthcheck(this.task.spec.container.healthcheck, rec.healthcheck);
    if (rec.running) {
      this.started = true;
      this.watchExit();
      if (this.healthcheck) this.monitorHealth(this.healthcheck);
      else if (stateRank(this.observed) < stateRank('running')) this.set('running', 'started (adopted after restart)');
    } else if (this.observed === 'starting' || this.observed === 'running') {
      this.onExit({ exitCode: rec.exitCode ?? -1, reason: 'exited while the node was down' });
    }
  }

  private kick(): void {
    this.chain = this.chain.then(
      () => this.step(),
      () => this.step(),
    );
    this.chain.catch((err) => this.deps.log.error({ task: this.task.id, err: (err as Error).message }, 'task step failed'));
  }

  private async step(): Promise<void> {
    const { runtime } = this.deps;
    const t = this.task;
    if (this.deleted || !wantsToRun(t.desiredState)) {
      await this.stop();
      if ((this.deleted || t.desiredState === 'remove') && !this.removed) await this.remove();
      return;
    }
    if (isTerminal(this.observed)) return;
    // A task is this node's to run once the scheduler assigned it: a global task names its node from the
    // start, before the allocator gave it its network addresses.
    if (this.observed === 'new' || this.observed === 'pending') return;
    if (this.observed === 'assigned') this.set('accepted', 'accepted');
    // Desired READY holds a replacement for its restart delay: preparing it now would let a task that
    // fails to prepare be replaced again at once, with no delay at all.
    if (t.desiredState !== 'running') return;
    if (!this.prepared || stateRank(this.observed) < stateRank('ready')) {
      this.set('preparing', 'preparing');
      try {
        const plan = await this.deps.hooks.network.attach.promise(initialNetworkPlan(t, this.deps.exposeAddress), t);
        const prepared = await runtime.prepare(this.deps.volumes ? await this.deps.volumes.mountAll(t) : t, plan);
        this.runtimeId = prepared.runtimeId;
        this.healthcheck = effectiveHealthcheck(t.spec.container.healthcheck, prepared.healthcheck);
        this.prepared = true;
      } catch (err) {
        this.set('rejected', 'preparing', (err as Error).message);
        return;
      }
      this.set('ready', 'prepared');
    }
    if (this.started || this.task.desiredState !== 'running') return;
    this.set('starting', 'starting');
    try {
      ({ addr: this.addr, ports: this.ports } = await runtime.start(t.id));
      this.started = true;
      this.everStarted = true;
    } catch (err) {
      this.set('failed', 'starting', (err as Error).message);
      return;
    }
    this.watchExit();
    // A task with a health check counts as running once it is healthy; one without, once its TCP target
    // ports accept connections (or a short while passed): the mesh must not send it traffic it cannot take.
    if (this.healthcheck) this.monitorHealth(this.healthcheck);
    else {
      const deadline = Date.now() + (this.deps.portReadyTimeoutMs ?? PORT_READY_TIMEOUT_MS);
      await Promise.all(readinessTargets(t, this.addr, this.ports).map(({ host, port }) => acceptsBy(host, port, deadline)));
      this.set('running', 'started');
    }
  }

  private monitorHealth(config: HealthConfig): void {
    const { runtime } = this.deps;
    const taskId = this.task.id;
    this.health = new HealthMonitor({
      task: this.task,
      config,
      hooks: this.deps.hooks,
      log: this.deps.log,
      context: {
        addr: this.addr,
        ports: this.ports,
        ...(runtime.exec && { exec: (cmd: readonly string[], timeoutMs: number) => runtime.exec!(taskId, cmd, timeoutMs) }),
      },
      onHealthy: () => this.set('running', 'started (healthy)'),
      onUnhealthy: (output) => this.unhealthy(output),
    });
  }

  /**
   * Reports an unhealthy task failed (so the mesh stops sending it traffic and it is replaced), then
   * stops it after a moment.
   */
  private unhealthy(output: string): void {
    this.set('failed', 'started', `task: unhealthy container${output ? `: ${output.trim().slice(-200)}` : ''}`);
    setTimeout(() => {
      this.chain = this.chain.then(() => this.stopProcess());
    }, this.deps.unhealthyStopDelayMs ?? 1000).unref();
  }

  /** Stops the task's process (once), and its health checks. */
  private async stopProcess(): Promise<void> {
    this.health?.stop();
    if (!this.started || this.stopping) return;
    this.stopping = true;
    await this.deps.runtime.stop(this.task.id, this.task.spec.container.stopGracePeriodMs);
  }

  private async stop(): Promise<void> {
    if (this.started && !this.stopping) {
      await this.stopProcess();
    } else if (this.prepared && !this.everStarted && !this.removed) {
      await this.remove();
    }
    if (!isTerminal(this.observed)) this.set('shutdown', 'shutdown');
  }

  /** Removes the task's runtime resources, then unmounts its volumes and lets the network taps undo their attachments. */
  private async remove(): Promise<void> {
    await this.deps.runtime.remove(this.task.id);
    this.removed = true;
    await this.releaseVolumes();
    await this.deps.hooks.network.detach.promise(this.task).catch((err: Error) => this.deps.log.warn({ task: this.task.id, err: err.message }, 'network detach failed'));
  }

  /** Unmounts the task's volumes once (when its process ended, or it is removed without having run). */
  private async releaseVolumes(): Promise<void> {
    if (!this.deps.volumes || this.volumesReleased || !this.prepared) return;
    this.volumesReleased = true;
    await this.deps.volumes.unmountAll(this.task).catch((err: Error) => this.deps.log.warn({ task: this.task.id, err: err.message }, 'volume unmount failed'));
  }

  private watchExit(): void {
    this.deps.runtime.wait(this.task.id).then(
      (exit) => this.onExit(exit),
      (err) => this.onExit({ exitCode: -1, reason: (err as Error).message }),
    );
  }

  private onExit(exit: TaskExit): void {
    this.started = false;
    this.health?.stop();
    this.chain = this.chain.then(() => this.releaseVolumes());
    if (this.stopping || !wantsToRun(this.task.desiredState)) {
      this.set('shutdown', 'shutdown');
      return;
    }
    const d = describeExit(exit);
    this.set(d.state, d.message, d.err, exit.exitCode);
  }

  private set(state: TaskState, message: string, err?: string, exitCode?: number): void {
    if (!canTransition(this.observed, state)) return;
    this.observed = state;
    const status: TaskStatus = {
      state,
      timestamp: this.deps.clock().toISOString(),
      message,
      ...(err !== undefined && { err }),
      ...(exitCode !== undefined && { exitCode }),
      ...(this.runtimeId !== undefined && { runtimeId: this.runtimeId }),
      ...(this.addr !== undefined && { addr: this.addr }),
      ...(this.ports !== undefined && this.ports.length > 0 && { ports: this.ports }),
    };
    this.deps.report(this.task.id, status);
  }
}
