import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import type { ContainerSpec, PortConfig, ResourceRequirements, Task } from '../../../core/model/types';
import type { TaskNetworkPlan } from '../../../core/runtime/contract';
import { DockerRuntime } from '../../../plugins/runtime-docker';

/** The image the Docker tests run (built by scripts/build-test-image.sh). */
export const TEST_IMAGE = 'orch-test/busybox';

/** Label on every container these tests make, valued with this run's id, so `cleanUp` finds them all. */
const RUN_LABEL = 'orch-test.run';

/** This test file's run id: unique node ids and labels, so parallel or earlier runs do not interfere. */
export const runId = `${process.pid}-${randomBytes(3).toString('hex')}`;

/** A web server answering with its container's hostname. */
export const HTTPD = ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && httpd -f -p 80 -h /www'];

/** A task that exits promptly on SIGTERM. */
export const SIGTERM_AWARE = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait'];

export const NO_NETWORK: TaskNetworkPlan = { networks: [], hostPorts: [], exposedPorts: [], dns: [] };

export const docker = new Docker();
/** Quiet unless ORCH_TEST_LOG names a level (e.g. `debug`). */
export const testLog = pino({ level: process.env.ORCH_TEST_LOG ?? 'silent' });

/** Starts the engine if needed and builds the test image if it is missing. */
export function ensureTestImage(): void {
  execFileSync('bash', [resolve(__dirname, '../../../scripts/build-test-image.sh'), TEST_IMAGE], { stdio: 'inherit' });
}

/** A unique node id for this run. */
export function nodeId(name: string): string {
  return `test-${name}-${runId}`;
}

/** An opened runtime for a fresh node id of this run. */
export async function openRuntime(name: string): Promise<DockerRuntime> {
  const runtime = new DockerRuntime(docker, nodeId(name), testLog);
  await runtime.open();
  return runtime;
}

let taskCounter = 0;

/** What a test may set on a task. */
export interface TaskOptions extends Partial<Omit<ContainerSpec, 'labels'>> {
  readonly labels?: Record<string, string>;
  readonly resources?: ResourceRequirements;
  readonly slot?: number | null;
  readonly ports?: readonly PortConfig[];
}

/** A task of service `svc` for the test image, labelled with this run's id. */
export function makeTask(options: TaskOptions = {}): Task {
  const { labels, resources, slot, ports, ...container } = options;
  const id = `task${++taskCounter}${randomBytes(4).toString('hex')}`;
  const now = new Date().toISOString();
  return {
    id,
    meta: { version: 1, createdAt: now, updatedAt: now },
    serviceId: `svc-${runId}`,
    serviceName: 'svc',
    slot: slot === null ? undefined : (slot ?? taskCounter),
    specVersion: 1,
    spec: {
      container: {
        image: TEST_IMAGE,
        args: ['sleep', '1000000'],
        env: [],
        stopGracePeriodMs: 10_000,
        ...container,
        labels: { ...labels, [RUN_LABEL]: runId },
      },
      resources: resources ?? { limits: {}, reservations: {} },
      restartPolicy: { condition: 'none', delayMs: 0, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
    },
    ports: ports ?? [],
    desiredState: 'running',
    status: { state: 'assigned', timestamp: now, message: 'assigned' },
    restartHistory: [],
  };
}

/** Removes every container this run made. */
export async function cleanUp(): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
}

/** The body of an HTTP GET, failing after `timeoutMs`. */
export async function httpGet(url: string, timeoutMs = 5000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return res.text();
}

/** Retries `fn` until it resolves (a server may need a moment to listen), up to `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
