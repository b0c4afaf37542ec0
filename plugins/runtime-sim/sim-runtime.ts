import type { Task } from '../../core/model/types';
import type { RecoveredTask, Runtime, RuntimeDescription, StartedTask, TaskExit } from '../../core/runtime/contract';
import { drawFate, SIM_DEFAULTS, type SimRuntimeOptions } from './options';
import { TimerWheel, type WheelTimer } from './timer-wheel';

/** One simulated task: no process, just its state and who waits for its exit. */
interface SimTask {
  running: boolean;
  exit?: TaskExit;
  waiters: ((exit: TaskExit) => void)[];
  timer?: WheelTimer;
}

/** The wheel runtimes share unless given their own: one Node timer for every simulated task of the process. */
const SHARED_WHEEL = new TimerWheel();

/**
 * The `sim` runtime: runs nothing. A task reaches RUNNING after the configured start delay; a configured
 * fraction fails at start or exits on its own later with a given code (see {@link SimRuntimeOptions}).
 * Its description (hostname, resources, engine labels) comes from the options, so many simulated nodes
 * can differ. A task costs a few small objects; delays run on a shared {@link TimerWheel}.
 * `halt` freezes the runtime as a machine that died: nothing it holds ever moves again.
 */
export class SimRuntime implements Runtime {
  readonly name = 'sim';
  private readonly tasks = new Map<string, SimTask>();
  private halted = false;

  constructor(
    private readonly options: SimRuntimeOptions = {},
    private readonly wheel: TimerWheel = SHARED_WHEEL,
  ) {}

  async describe(): Promise<RuntimeDescription> {
    return {
      hostname: this.options.hostname ?? SIM_DEFAULTS.hostname,
      platform: { os: 'linux', arch: 'amd64' },
      resources: this.options.resources ?? SIM_DEFAULTS.resources,
      engine: { version: 'sim', labels: this.options.labels ?? SIM_DEFAULTS.labels },
    };
  }

  async prepare(task: Task): Promise<{ runtimeId: string }> {
    if (!this.tasks.has(task.id)) this.tasks.set(task.id, { running: false, waiters: [] });
    return { runtimeId: task.id };
  }

  start(taskId: string): Promise<StartedTask> {
    const t = this.get(taskId);
    const fate = drawFate(this.options, this.options.random ?? Math.random);
    return new Promise((resolve, reject) => {
      t.timer = this.wheel.after(fate.startMs, () => {
        t.timer = undefined;
        if (this.halted || t.exit) return;
        if (fate.kind === 'fail-start') {
          this.end(t, { exitCode: 128, reason: 'simulated start failure' });
          return reject(new Error('simulated start failure'));
        }
        t.running = true;
        if (fate.kind === 'exit') t.timer = this.wheel.after(fate.afterMs, () => this.end(t, { exitCode: fate.code, reason: 'simulated exit' }));
        resolve({});
      });
    });
  }

  wait(taskId: string): Promise<TaskExit> {
    const t = this.get(taskId);
    if (t.exit) return Promise.resolve(t.exit);
    return new Promise((resolve) => t.waiters.push(resolve));
  }

  async stop(taskId: string): Promise<void> {
    const t = this.tasks.get(taskId);
    if (t && !t.exit) this.end(t, { exitCode: 0 });
  }

  async remove(taskId: string): Promise<void> {
    this.tasks.get(taskId)?.timer?.cancel();
    this.tasks.delete(taskId);
  }

  /** A simulated node starts empty: there is nothing to adopt. */
  async recover(): Promise<RecoveredTask[]> {
    return [];
  }

  /** How many tasks run now. */
  get running(): number {
    let n = 0;
    for (const t of this.tasks.values()) if (t.running) n++;
    return n;
  }

  /** The machine died: pending starts and exits never happen, nothing is reported again. */
  halt(): void {
    this.halted = true;
    for (const t of this.tasks.values()) t.timer?.cancel();
    this.tasks.clear();
  }

  private get(taskId: string): SimTask {
    const t = this.tasks.get(taskId);
    if (!t) throw new Error(`task ${taskId} is not prepared on this simulated node`);
    return t;
  }

  private end(t: SimTask, exit: TaskExit): void {
    if (this.halted) return;
    t.timer?.cancel();
    t.timer = undefined;
    t.running = false;
    t.exit = exit;
    for (const w of t.waiters.splice(0)) w(exit);
  }
}
