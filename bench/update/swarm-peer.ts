/**
 * Docker's own swarm mode as a peer of the rolling-update benchmark, on the local engine: a single-node
 * swarm the benchmark makes (it refuses an engine already in a swarm) and leaves at the end.
 */
import { execFile } from 'node:child_process';
import { isDeepStrictEqual, promisify } from 'node:util';
import Docker from 'dockerode';
import { waitUntil } from '../support';
import { countContainers } from './containers';
import type { UpdatePeer, UpdateProgress } from './peer';

const execFileAsync = promisify(execFile);
const SERVICE_LABEL = 'com.docker.swarm.service.name';
const REMOVAL_TIMEOUT_MS = 120_000;

/** The fields of a swarm-mode task this benchmark reads. */
interface SwarmTask {
  readonly Spec?: { readonly ContainerSpec?: { readonly Env?: readonly string[] } };
  readonly Status?: { readonly State?: string };
}

/**
 * The environment of a task spec or service task template: the only part of it the benchmark's update
 * changes. (A whole task spec cannot be compared with the template: the engine's API fills defaults such
 * as the restart policy into the service's template, not into its tasks' copies.)
 */
const envOf = (spec: SwarmTask['Spec']): readonly string[] => spec?.ContainerSpec?.Env ?? [];

/** Docker's swarm mode on the local engine; see the module comment. */
export class SwarmPeer implements UpdatePeer {
  readonly name = 'swarm';
  readonly serviceLabel = SERVICE_LABEL;
  /** No registry is reachable: resolving the image's digest would only fail, and cost time. */
  readonly serviceFlags = ['--detach', '--no-resolve-image'];
  private readonly engine = new Docker();
  /** Whether this peer made the swarm, and so must leave it. */
  private made = false;

  /** `docker swarm init` on loopback; refuses an engine that is in a swarm already (or joining one). */
  async start(): Promise<void> {
    const state = ((await this.engine.info()) as { Swarm?: { LocalNodeState?: string } }).Swarm?.LocalNodeState;
    if (state !== 'inactive') {
      throw new Error(`this Docker engine's swarm state is "${state}", not inactive: leave that swarm first (the benchmark makes and leaves its own)`);
    }
    await this.cli(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    this.made = true;
  }

  /** Runs `docker ARGS…`. */
  async cli(args: readonly string[]): Promise<void> {
    await execFileAsync('docker', [...args]);
  }

  /**
   * Service inspect and the task list (desired running) at once: the running tasks with the environment
   * of the service's task template, and whether its update status is `completed`.
   */
  async progress(name: string): Promise<UpdateProgress> {
    const [service, tasks] = await Promise.all([
      this.engine.getService(name).inspect() as Promise<Docker.Service>,
      this.engine.listTasks({ filters: { service: [name], 'desired-state': ['running'] } }) as Promise<SwarmTask[]>,
    ]);
    const env = envOf(service.Spec?.TaskTemplate as SwarmTask['Spec']);
    return {
      runningCurrent: tasks.filter((t) => t.Status?.State === 'running' && isDeepStrictEqual(envOf(t.Spec), env)).length,
      completed: service.UpdateStatus?.State === 'completed',
    };
  }

  /** Removes the swarm's services and waits for their containers, then leaves the swarm it made. */
  async destroy(): Promise<void> {
    if (!this.made) return;
    this.made = false;
    try {
      const services = (await this.engine.listServices()) as Docker.Service[];
      await Promise.all(services.map((s) => this.engine.getService(s.ID).remove()));
      const names = services.map((s) => s.Spec?.Name ?? '');
      const left = async () => (await Promise.all(names.map((n) => countContainers(SERVICE_LABEL, n)))).reduce((a, b) => a + b, 0);
      await waitUntil('the swarm services\' containers to go', async () => (await left()) === 0, REMOVAL_TIMEOUT_MS);
    } catch (err) {
      console.error(`removing the swarm's services: ${(err as Error).message}`);
    }
    await this.cli(['swarm', 'leave', '--force']).catch((err: Error) => console.error(`docker swarm leave --force: ${err.message}`));
  }
}
