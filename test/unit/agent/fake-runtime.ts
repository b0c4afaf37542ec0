import type { RecoveredTask, Runtime, RuntimeDescription, TaskExit, TaskNetworkPlan } from '../../../core/runtime/contract';
import type { Task } from '../../../core/model/types';

/** A runtime double that records calls and lets a test end a task's process. */
export class FakeRuntime implements Runtime {
  readonly name = 'fake';
  readonly calls: string[] = [];
  readonly plans = new Map<string, TaskNetworkPlan>();
  failPrepare: string | undefined;
  recovered: RecoveredTask[] = [];
  /** The address started tasks get. */
  addr = '172.17.0.9';
  private readonly exits = new Map<string, (exit: TaskExit) => void>();
  private readonly ended = new Map<string, TaskExit>();

  async describe(): Promise<RuntimeDescription> {
    return { hostname: 'h', platform: { os: 'linux', arch: 'amd64' }, resources: { nanoCpus: 1e9, memoryBytes: 1e9 }, engine: { version: '1', labels: {} } };
  }
  async prepare(task: Task, plan: TaskNetworkPlan): Promise<{ runtimeId: string }> {
    this.calls.push(`prepare ${task.id}`);
    this.plans.set(task.id, plan);
    if (this.failPrepare) throw new Error(this.failPrepare);
    return { runtimeId: `c-${task.id}` };
  }
  async start(taskId: string): Promise<{ addr?: string }> {
    this.calls.push(`start ${taskId}`);
    return { addr: this.addr };
  }
  wait(taskId: string): Promise<TaskExit> {
    const done = this.ended.get(taskId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.exits.set(taskId, resolve));
  }
  async stop(taskId: string): Promise<void> {
    this.calls.push(`stop ${taskId}`);
    this.exit(taskId, { exitCode: 143 });
  }
  async remove(taskId: string): Promise<void> {
    this.calls.push(`remove ${taskId}`);
  }
  async recover(): Promise<RecoveredTask[]> {
    return this.recovered;
  }
  /** Ends a task's process. */
  exit(taskId: string, exit: TaskExit): void {
    this.ended.set(taskId, exit);
    this.exits.get(taskId)?.(exit);
    this.exits.delete(taskId);
  }
}
