import type { ControlApi, ControlMethod, WatchMessage } from '../../../core/api/contract';
import type { OrchError } from '../../../core/errors';
import type { DesiredState, TaskState } from '../../../core/model/task-state';
import type { Node, PortConfig, Service, ServiceSpec, Task } from '../../../core/model/types';
import type { DaemonApi } from '../../../cli/connection';
import type { CliEnv } from '../../../cli/context';

export const NOW = new Date('2024-05-01T12:00:00.000Z');

/** An ISO time `seconds` before NOW. */
export const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

const meta = (createdAt = ago(60)) => ({ version: 1, createdAt, updatedAt: createdAt });

export interface TaskOptions {
  id?: string;
  service?: string;
  slot?: number;
  nodeId?: string;
  state?: TaskState;
  desired?: DesiredState;
  createdAt?: string;
  timestamp?: string;
  message?: string;
  err?: string;
  ports?: PortConfig[];
  image?: string;
}

export function makeTask(o: TaskOptions = {}): Task {
  return {
    id: o.id ?? `task${o.slot ?? o.nodeId ?? ''}xxxxxxxxxxxxxxxxxxxx`,
    meta: meta(o.createdAt),
    serviceId: `id-${o.service ?? 'web'}`,
    serviceName: o.service ?? 'web',
    slot: o.slot,
    nodeId: o.nodeId,
    specVersion: 1,
    spec: {
      container: { image: o.image ?? 'busybox', args: [], env: [], labels: {}, stopGracePeriodMs: 10_000 },
      resources: { limits: {}, reservations: {} },
      restartPolicy: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
    },
    ports: o.ports ?? [],
    desiredState: o.desired ?? 'running',
    status: { state: o.state ?? 'running', timestamp: o.timestamp ?? ago(5), message: o.message ?? '', ...(o.err !== undefined && { err: o.err }) },
    restartHistory: [],
  };
}

export function makeNode(id: string, o: { role?: 'manager' | 'worker'; hostname?: string; labels?: Record<string, string>; availability?: 'active' | 'pause' | 'drain' } = {}): Node {
  return {
    id,
    meta: meta(),
    spec: { role: o.role ?? 'worker', availability: o.availability ?? 'active', labels: o.labels ?? {} },
    description: {
      hostname: o.hostname ?? `host-${id}`,
      platform: { os: 'linux', arch: 'x86_64' },
      resources: { nanoCpus: 4e9, memoryBytes: 8 * 1024 ** 3 },
      engine: { version: '20.10.24', labels: {} },
      runtimes: ['docker'],
    },
    status: { state: 'ready', message: '', addr: '10.0.0.1' },
  };
}

export function makeService(name: string, o: { replicas?: number; global?: boolean; constraints?: string[]; ports?: PortConfig[] } = {}): Service {
  const spec: ServiceSpec = {
    name,
    labels: {},
    mode: o.global ? { global: {} } : { replicated: { replicas: o.replicas ?? 1 } },
    task: { ...makeTask().spec, placement: { constraints: o.constraints ?? [], preferences: [], maxReplicasPerNode: 0 } },
    endpoint: { ports: o.ports ?? [] },
  };
  return { id: `id-${name}xxxxxxxxxxxxxxxxxxxxx`, meta: meta(), spec, specVersion: 1, endpoint: { ports: o.ports ?? [] } };
}

type Handlers = { [M in ControlMethod]?: (req: ControlApi[M]['req']) => ControlApi[M]['res'] | Promise<ControlApi[M]['res']> };

/** A daemon double: answers from `handlers` (unknown methods fail), records calls, and lets a test push watch messages. */
export class FakeDaemon implements DaemonApi {
  readonly calls: { method: ControlMethod; req: unknown }[] = [];
  closed = false;
  private watchers: ((m: WatchMessage) => void)[] = [];

  constructor(private readonly handlers: Handlers) {}

  async call<M extends ControlMethod>(method: M, req: ControlApi[M]['req']): Promise<ControlApi[M]['res']> {
    this.calls.push({ method, req });
    const h = this.handlers[method] as ((r: ControlApi[M]['req']) => ControlApi[M]['res'] | Promise<ControlApi[M]['res']>) | undefined;
    if (!h) throw new Error(`unexpected call ${method}`);
    return h(req);
  }

  watch(_req: unknown, onMessage: (m: WatchMessage) => void, _onEnd: (err?: OrchError) => void): () => void {
    this.watchers.push(onMessage);
    return () => (this.watchers = this.watchers.filter((w) => w !== onMessage));
  }

  /** Delivers a (content-free) change to every open watch. */
  push(): void {
    for (const w of this.watchers) w({ version: 1, events: [] });
  }

  get watching(): number {
    return this.watchers.length;
  }

  close(): void {
    this.closed = true;
  }
}

/** A CliEnv that captures output and hands out `daemon` (recording the sockets asked for). */
export function fakeEnv(daemon: DaemonApi = new FakeDaemon({}), o: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sockets: string[] = [];
  const env: CliEnv = {
    stdout: { write: (s) => void out.push(s), isTTY: o.isTTY },
    stderr: { write: (s) => void err.push(s) },
    env: o.env ?? { ORCH_DATA_DIR: '/data' },
    cwd: '/work',
    home: '/home/u',
    isRoot: false,
    now: () => NOW,
    connect: (socket) => {
      sockets.push(socket);
      return daemon;
    },
  };
  return { env, stdout: () => out.join(''), stderr: () => err.join(''), sockets };
}
