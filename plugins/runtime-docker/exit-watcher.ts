import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import type { Logger } from 'pino';
import type { TaskExit } from '../../core/runtime/contract';
import { statusOf } from './docker-errors';

/** The exit code the contract reports when the runtime cannot tell. */
const UNKNOWN_EXIT_CODE = -1;

/** What `wait` reports for a container that no longer exists. */
export const CONTAINER_REMOVED: TaskExit = { exitCode: UNKNOWN_EXIT_CODE, reason: 'container removed' };

const OOM_KILLED = 'OOM killed';
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/** The next delay of an exponential backoff. */
function backoff(delayMs: number): number {
  return Math.min(2 * delayMs, RETRY_MAX_MS);
}

/** Sleeps, waking early (without error) when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** The part of a Docker event the watcher reads. */
interface EngineEvent {
  readonly Action: string;
  readonly Actor: { readonly ID: string; readonly Attributes?: Readonly<Record<string, string>> };
}

interface Waiter {
  resolve(exit: TaskExit): void;
  reject(err: Error): void;
}

/** How an inspected container ended, or undefined while it has not (created, running, paused…). */
function exitOf(state: ContainerInspectInfo['State']): TaskExit | undefined {
  if (state.Status !== 'exited' && state.Status !== 'dead') return undefined;
  return state.OOMKilled ? { exitCode: state.ExitCode, reason: OOM_KILLED } : { exitCode: state.ExitCode };
}

/**
 * Reports container exits from ONE engine event stream (`oom`, `die` and `destroy` of the containers
 * matching a label filter) to any number of waiters, instead of one long-poll per container.
 * When the stream drops it reconnects with backoff and then inspects every container still waited
 * for, so no exit that happened in the gap is missed.
 */
export class ExitWatcher {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Containers the engine reported OOM-killed; `die` follows on the same stream. */
  private readonly oomKilled = new Set<string>();
  private session?: AbortController;

  constructor(
    private readonly docker: Docker,
    private readonly labelFilter: string,
    private readonly log: Logger,
  ) {}

  /** Opens the event stream (a no-op when it is open); rejects when the engine does not answer. */
  async open(): Promise<void> {
    if (this.session) return;
    const session = new AbortController();
    this.session = session;
    try {
      await this.connect(session.signal);
    } catch (err) {
      this.session = undefined;
      throw err;
    }
  }

  /** Closes the stream and rejects every pending `wait`. */
  close(): void {
    this.session?.abort();
    this.session = undefined;
    const closed = new Error('the Docker runtime was closed while waiting for the container to exit');
    for (const set of this.waiters.values()) for (const w of set) w.reject(closed);
    this.waiters.clear();
    this.oomKilled.clear();
  }

  /**
   * Resolves when the container exits, at once if it already has; with `CONTAINER_REMOVED` if it is
   * (or gets) removed first. Rejects only if the watcher is not open or gets closed: while the engine
   * does not answer, it keeps asking.
   */
  wait(containerId: string): Promise<TaskExit> {
    const session = this.session;
    if (!session) return Promise.reject(new Error('the Docker runtime is not open: its exit watcher has no event stream'));
    return new Promise<TaskExit>((resolve, reject) => {
      const set = this.waiters.get(containerId) ?? new Set<Waiter>();
      this.waiters.set(containerId, set.add({ resolve, reject }));
      // Registered first, checked second: an exit either shows in the inspect or arrives as an event.
      void this.checkUntilAnswered(containerId, session.signal);
    });
  }

  private async connect(signal: AbortSignal): Promise<void> {
    const stream = await this.docker.getEvents({
      filters: { type: ['container'], event: ['oom', 'die', 'destroy'], label: [this.labelFilter] },
      abortSignal: signal,
    });
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => this.onLine(line));
    let dropped = false;
    const onDrop = (err?: Error): void => {
      if (dropped) return;
      dropped = true;
      lines.close();
      if (!signal.aborted) void this.reconnect(signal, err);
    };
    // readline re-emits its input's errors: both need a listener, or an abort at `close` would throw.
    lines.on('error', onDrop);
    stream.on('error', onDrop);
    stream.on('end', () => onDrop());
    stream.on('close', () => onDrop());
  }

  private async reconnect(signal: AbortSignal, cause: Error | undefined): Promise<void> {
    this.log.warn({ err: cause }, 'docker event stream dropped; reconnecting');
    for (let delayMs = RETRY_FIRST_MS; !signal.aborted; delayMs = backoff(delayMs)) {
      await pause(delayMs, signal);
      if (signal.aborted) return;
      try {
        await this.connect(signal);
      } catch (err) {
        this.log.warn({ err }, 'docker event stream: reconnect failed');
        continue;
      }
      await Promise.all([...this.waiters.keys()].map((id) => this.checkUntilAnswered(id, signal)));
      return;
    }
  }

  /**
   * Inspects a waited-for container until the engine answers, settling its waiters if it has exited or
   * is gone. Stops asking once nobody waits for it or the watcher closes.
   */
  private async checkUntilAnswered(containerId: string, signal: AbortSignal): Promise<void> {
    for (let delayMs = RETRY_FIRST_MS; this.waiters.has(containerId) && !signal.aborted; delayMs = backoff(delayMs)) {
      try {
        const exit = await this.inspectExit(containerId);
        if (exit) this.settle(containerId, exit);
        return;
      } catch (err) {
        this.log.warn({ err, containerId }, 'docker: cannot inspect a waited-for container; retrying');
      }
      await pause(delayMs, signal);
    }
  }

  /** How the container ended; undefined while it has not. */
  private async inspectExit(containerId: string): Promise<TaskExit | undefined> {
    try {
      return exitOf((await this.docker.getContainer(containerId).inspect()).State);
    } catch (err) {
      if (statusOf(err) === 404) return CONTAINER_REMOVED;
      throw err;
    }
  }

  private onLine(line: string): void {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      this.log.warn({ line }, 'docker event stream: unreadable event');
      return;
    }
    const id = event.Actor.ID;
    switch (event.Action) {
      case 'oom':
        this.oomKilled.add(id);
        break;
      case 'die': {
        const exitCode = Number(event.Actor.Attributes?.exitCode ?? UNKNOWN_EXIT_CODE);
        this.settle(id, this.oomKilled.delete(id) ? { exitCode, reason: OOM_KILLED } : { exitCode });
        break;
      }
      case 'destroy':
        this.oomKilled.delete(id);
        this.settle(id, CONTAINER_REMOVED);
        break;
    }
  }

  private settle(containerId: string, exit: TaskExit): void {
    const set = this.waiters.get(containerId);
    if (!set) return;
    this.waiters.delete(containerId);
    for (const w of set) w.resolve(exit);
  }
}
