import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { constants } from 'node:os';
import type { Task } from '../../core/model/types';
import type { LogLine, LogOptions, RecoveredTask, Runtime, RuntimeDescription, StartedTask, TaskExit, TaskNetworkPlan } from '../../core/runtime/contract';
import { streamLogFiles } from './log-files';
import { freePorts } from './free-ports';
import { processSpec, type ProcessSpec } from './process-spec';
import { procStart, readRecord, stillRunning, writeRecord, type TaskRecord } from './task-state';

/** Kernel machine names to the Go-style names platform constraints use (as runtime-docker reports them). */
const GO_ARCH: Readonly<Record<string, string>> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', i686: '386' };
/** How often an adopted process (not our child) is checked for having ended. */
const ADOPTED_POLL_MS = 500;
const SPEC_FILE = 'spec.json';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The exit code a shell would report: the code, or 128 + the signal's number. */
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/** True when `program` can be run: a path to an executable file, or a name found on `PATH`. */
function findProgram(program: string, cwd: string, pathVar: string | undefined): boolean {
  const runnable = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes('/')) return runnable(path.resolve(cwd, program));
  return (pathVar ?? '').split(':').some((dir) => dir !== '' && runnable(path.join(dir, program)));
}

/**
 * The `process` runtime (as Nomad's raw_exec): a task is a supervised process of the node, in its own
 * process group, started in its directory `<root>/<taskId>` (or the spec's working dir) with the node's
 * environment plus the spec's, its stdout and stderr appended to `stdout.log` and `stderr.log` there.
 * Target ports reachable through the mesh get free ports of the node (`PORT`, `ORCH_PORT_<target>`), which
 * the process must listen on. It joins no networks and mounts nothing. Processes outlive a daemon restart:
 * `recover` adopts those still running (their exit code is then unknown).
 */
export class ProcessRuntime implements Runtime {
  readonly name = 'process';
  private readonly children = new Map<string, { child: ChildProcess; exited: Promise<TaskExit> }>();

  constructor(
    private readonly root: string,
    private readonly log: Logger,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  async describe(): Promise<RuntimeDescription> {
    return {
      hostname: os.hostname(),
      platform: { os: process.platform, arch: GO_ARCH[os.machine()] ?? os.machine() },
      resources: { nanoCpus: os.cpus().length * 1e9, memoryBytes: os.totalmem() },
      engine: { version: `process (node ${process.version})`, labels: {} },
    };
  }

  async prepare(task: Task, plan: TaskNetworkPlan): Promise<{ runtimeId: string }> {
    if (plan.networks.length > 0) throw new Error('the process runtime cannot join networks: run this service on nodes with a container runtime');
    if ((task.spec.container.mounts ?? []).length > 0) throw new Error('the process runtime mounts nothing: run this service on nodes with a container runtime');
    const dir = this.dir(task.id);
    if (readRecord(dir)) return { runtimeId: task.id };
    fs.mkdirSync(dir, { recursive: true });
    const spec = processSpec(task, plan, dir, await freePorts(plan.exposeAddress ?? '127.0.0.1', plan.exposedPorts.length), this.env);
    if (!findProgram(spec.argv[0], spec.cwd, spec.env.PATH)) throw new Error(`executable "${spec.argv[0]}" not found${spec.argv[0].includes('/') ? '' : ' in PATH'}`);
    fs.mkdirSync(spec.cwd, { recursive: true });
    fs.writeFileSync(path.join(dir, SPEC_FILE), JSON.stringify(spec));
    writeRecord(dir, { taskId: task.id, ports: spec.ports });
    return { runtimeId: task.id };
  }

  async start(taskId: string): Promise<StartedTask> {
    const dir = this.dir(taskId);
    const record = readRecord(dir);
    if (!record) throw new Error(`task ${taskId} was not prepared`);
    if (this.children.has(taskId) || stillRunning(record)) return { ports: record.ports };
    const spec = JSON.parse(fs.readFileSync(path.join(dir, SPEC_FILE), 'utf8')) as ProcessSpec;
    const out = fs.openSync(path.join(dir, 'stdout.log'), 'a');
    const err = fs.openSync(path.join(dir, 'stderr.log'), 'a');
    const child = spawn(spec.argv[0], spec.argv.slice(1), { cwd: spec.cwd, env: spec.env, stdio: ['ignore', out, err], detached: true });
    fs.closeSync(out);
    fs.closeSync(err);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const exited = new Promise<TaskExit>((resolve) =>
      child.once('exit', (code, signal) => {
        const exitCode = exitCodeOf(code, signal);
        writeRecord(dir, { ...record, pid: child.pid, exitCode });
        resolve({ exitCode });
      }),
    );
    this.children.set(taskId, { child, exited });
    writeRecord(dir, { ...record, pid: child.pid, procStart: procStart(child.pid!) });
    return { ports: record.ports };
  }

  wait(taskId: string): Promise<TaskExit> {
    const mine = this.children.get(taskId);
    if (mine) return mine.exited;
    return this.waitAdopted(taskId);
  }

  async stop(taskId: string, graceMs: number): Promise<void> {
    const record = readRecord(this.dir(taskId));
    if (!record?.pid || !stillRunning(record)) return;
    this.signal(record.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.running(taskId)) await sleep(50);
    if (this.running(taskId)) this.signal(record.pid, 'SIGKILL');
  }

  async remove(taskId: string): Promise<void> {
    await this.stop(taskId, 0);
    this.children.delete(taskId);
    fs.rmSync(this.dir(taskId), { recursive: true, force: true });
  }

  exec(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    const spec = JSON.parse(fs.readFileSync(path.join(this.dir(taskId), SPEC_FILE), 'utf8')) as ProcessSpec;
    return new Promise((resolve, reject) => {
      const child = spawn(cmd[0], cmd.slice(1), { cwd: spec.cwd, env: spec.env, timeout: timeoutMs, killSignal: 'SIGKILL' });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ exitCode: exitCodeOf(code, signal), output }));
    });
  }

  logs(taskId: string, options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    const dir = this.dir(taskId);
    if (!readRecord(dir)) return Promise.reject(new Error(`task ${taskId} has nothing on this node`));
    const files = { stdout: path.join(dir, 'stdout.log'), stderr: path.join(dir, 'stderr.log') };
    return streamLogFiles(files, options, onLine, signal, () => !this.running(taskId));
  }

  /** True when `image` names a program this node can run (a path, or a name on `PATH`). */
  async hasImage(image: string): Promise<boolean> {
    return findProgram(image, this.root, this.env.PATH);
  }

  async recover(): Promise<RecoveredTask[]> {
    const names = fs.existsSync(this.root) ? fs.readdirSync(this.root) : [];
    return names.flatMap((name) => {
      const record = readRecord(this.dir(name));
      if (!record) return [];
      const running = stillRunning(record);
      return [{ taskId: record.taskId, runtimeId: record.taskId, running, ...(record.exitCode !== undefined && { exitCode: record.exitCode }), ports: record.ports }];
    });
  }

  private dir(taskId: string): string {
    return path.join(this.root, taskId);
  }

  private running(taskId: string): boolean {
    const record = readRecord(this.dir(taskId));
    return record !== undefined && stillRunning(record);
  }

  /** Signals the task's process group (its children too); a group already gone is no error. */
  private signal(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') this.log.warn({ pid, signal, err: (err as Error).message }, 'cannot signal a task');
    }
  }

  /** Waits for an adopted process (not our child) to end; its exit code is unknown. */
  private async waitAdopted(taskId: string): Promise<TaskExit> {
    for (;;) {
      const record: TaskRecord | undefined = readRecord(this.dir(taskId));
      if (!record) return { exitCode: -1, reason: 'its task directory is gone' };
      if (record.exitCode !== undefined) return { exitCode: record.exitCode };
      if (!stillRunning(record)) return { exitCode: -1, reason: 'it ended while the daemon was not watching' };
      await sleep(ADOPTED_POLL_MS);
    }
  }
}
