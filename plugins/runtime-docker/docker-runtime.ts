import { hostname } from 'node:os';
import type Docker from 'dockerode';
import type { ContainerCreateOptions, ContainerInfo, PortMap } from 'dockerode';
import type { Logger } from 'pino';
import type { HealthConfig, PortBinding, Task } from '../../core/model/types';
import type { LogLine, LogOptions, RecoveredTask, Runtime, RuntimeDescription, RuntimeNetworkAttachment, StartedTask, TaskExit, TaskNetworkPlan } from '../../core/runtime/contract';
import { NotFoundError } from '../../core/errors';
import { boundPorts, containerAddress } from './address';
import { containerConfig, endpointConfig } from './container-config';
import { describeEngine } from './describe';
import { messageOf, statusOf, tolerating } from './docker-errors';
import { engineInfo, pingEngine } from './engine';
import { CONTAINER_REMOVED, ExitWatcher } from './exit-watcher';
import { ImagePuller, type ImageDeclarations } from './image-puller';
import { runExec } from './exec';
import { streamContainerLogs } from './logs';
import { containerLabels, containerName, labelFilter, ORCH_LABELS, taskIdOf } from './naming';

/** `docker ps` status of an exited container: `Exited (137) 5 seconds ago`. */
const EXITED_STATUS = /^Exited \((-?\d+)\)/;

/**
 * The Docker runtime of one node: runs each task as one container on a Docker engine, through
 * dockerode. Every container carries the node's id as a label and every query is scoped by it, so
 * several nodes may share one engine. Call `open` before `wait` and `close` when done.
 *
 * It keeps no state beyond a cache of task id → container id (refilled from labels on a miss), so
 * that it can be restarted and `recover` what the engine already runs.
 */
export class DockerRuntime implements Runtime {
  readonly name = 'docker';
  private readonly containerIds = new Map<string, string>();
  private readonly nodeLabel: string;
  private readonly exits: ExitWatcher;
  private readonly images: ImagePuller;

  constructor(
    private readonly docker: Docker,
    private readonly nodeId: string,
    private readonly log: Logger,
  ) {
    this.nodeLabel = labelFilter(ORCH_LABELS.nodeId, nodeId);
    this.exits = new ExitWatcher(docker, this.nodeLabel, log);
    this.images = new ImagePuller(docker);
  }

  /**
   * Checks that the engine answers and opens the event stream that `wait` relies on.
   * @throws Error `cannot reach the Docker engine at <address>: <why>`.
   */
  async open(): Promise<void> {
    await pingEngine(this.docker);
    await this.exits.open();
  }

  /** Closes the event stream; pending `wait`s reject. */
  close(): void {
    this.exits.close();
  }

  /** True when the engine has `image`, or could pull it just now. */
  async hasImage(image: string): Promise<boolean> {
    if (await this.images.has(image)) return true;
    try {
      await this.images.pull(image);
      return true;
    } catch {
      return false;
    }
  }

  async describe(): Promise<RuntimeDescription> {
    return describeEngine(await engineInfo(this.docker), hostname());
  }

  /**
   * Creates the task's container (pulling its image first if the engine lacks it), or adopts the one
   * an earlier call created.
   * @throws Error `image "<ref>" not found: …` when the image is neither local nor pullable, or
   * `cannot create container "<name>": …` naming the engine's reason.
   */
  async prepare(task: Task, network: TaskNetworkPlan): Promise<{ runtimeId: string; healthcheck?: HealthConfig }> {
    const name = containerName(task, this.nodeId);
    let runtimeId: string;
    let image: ImageDeclarations = { ports: [] };
    try {
      await this.checkNetworks(network.networks);
      image = await this.image(task.spec.container.image);
      const config = containerConfig(task, network, containerLabels(task, this.nodeId, network.exposeAddress), network.exposeAddress === undefined ? [] : image.ports);
      runtimeId = (await this.docker.createContainer({ _query: { name }, _body: config } as ContainerCreateOptions)).id;
      await this.connectNetworks(runtimeId, network.networks.slice(1));
    } catch (err) {
      const existing = statusOf(err) === 409 ? await this.find(task.id) : undefined;
      if (!existing) throw statusOf(err) === undefined ? err : new Error(`cannot create container "${name}": ${messageOf(err)}`);
      this.log.debug({ taskId: task.id, runtimeId: existing }, 'docker: task already has a container');
      runtimeId = existing;
    }
    this.containerIds.set(task.id, runtimeId);
    return { runtimeId, ...(image.healthcheck && { healthcheck: image.healthcheck }) };
  }

  /**
   * Starts the container (a no-op when it runs) and reports its address on its first network and its
   * exposed ports as the engine bound them.
   */
  async start(taskId: string): Promise<StartedTask> {
    const container = this.docker.getContainer(await this.require(taskId));
    try {
      await tolerating([304], () => container.start());
      const info = await container.inspect();
      return {
        addr: containerAddress(info.HostConfig.NetworkMode, info.NetworkSettings.Networks),
        ports: boundPorts(info.NetworkSettings.Ports, info.Config.Labels?.[ORCH_LABELS.exposeAddress]),
      };
    } catch (err) {
      throw new Error(`cannot start the container of task ${taskId}: ${messageOf(err)}`);
    }
  }

  async wait(taskId: string): Promise<TaskExit> {
    const id = await this.lookup(taskId);
    return id ? this.exits.wait(id) : CONTAINER_REMOVED;
  }

  /** Docker stop: SIGTERM (or the image's stop signal), SIGKILL after `graceMs` rounded up to seconds. */
  async stop(taskId: string, graceMs: number): Promise<void> {
    const id = await this.lookup(taskId);
    if (id) await tolerating([304, 404], () => this.docker.getContainer(id).stop({ t: Math.ceil(graceMs / 1000) }));
  }

  /** Force-removes the container and its anonymous volumes; 409 means a removal is already under way. */
  async remove(taskId: string): Promise<void> {
    const id = await this.lookup(taskId);
    if (id) await tolerating([404, 409], () => this.docker.getContainer(id).remove({ force: true, v: true }));
    this.containerIds.delete(taskId);
  }

  async recover(): Promise<RecoveredTask[]> {
    const containers = await this.list([]);
    const recovered: RecoveredTask[] = [];
    for (const c of containers) {
      const taskId = taskIdOf(c.Labels);
      if (taskId === undefined) continue;
      this.containerIds.set(taskId, c.Id);
      const healthcheck = (await this.images.declared(c.Image).catch(() => undefined))?.healthcheck;
      recovered.push({ ...recoveredTask(taskId, c), ...(healthcheck && { healthcheck }) });
    }
    return recovered;
  }

  /** What `image` declares, pulling it first when the engine lacks it. */
  private async image(image: string): Promise<ImageDeclarations> {
    const declared = await this.images.declared(image);
    if (declared) return declared;
    this.log.info({ image }, 'docker: pulling image');
    await this.images.pull(image);
    return (await this.images.declared(image)) ?? { ports: [] };
  }

  /**
   * Runs a command in the task's container (as `docker exec`), killed after `timeoutMs`.
   * @throws Error when the container is gone or the engine refuses.
   */
  async exec(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    return runExec(this.docker, await this.require(taskId), cmd, timeoutMs);
  }

  /**
   * Streams the log of the task's container (see Runtime.logs).
   * @throws NotFoundError when the task has no container on this node; Error when the engine fails.
   */
  async logs(taskId: string, options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    return streamContainerLogs(this.docker, await this.require(taskId), options, onLine, signal);
  }

  /**
   * Fails (404) unless every network exists: the engine accepts a container into a missing network at
   * create and connect, and only fails at start.
   */
  private async checkNetworks(networks: readonly RuntimeNetworkAttachment[]): Promise<void> {
    await Promise.all(networks.map((n) => this.docker.getNetwork(n.name).inspect()));
  }

  /** Joins the container to further networks; removes it again if one cannot be joined. */
  private async connectNetworks(containerId: string, networks: readonly RuntimeNetworkAttachment[]): Promise<void> {
    try {
      for (const n of networks) await this.docker.getNetwork(n.name).connect({ Container: containerId, EndpointConfig: endpointConfig(n) });
    } catch (err) {
      await tolerating([404, 409], () => this.docker.getContainer(containerId).remove({ force: true, v: true }));
      throw err;
    }
  }

  /** The task's container id, from the cache or the engine. */
  private async lookup(taskId: string): Promise<string | undefined> {
    return this.containerIds.get(taskId) ?? this.find(taskId);
  }

  /** Like `lookup`, but the container must exist. */
  private async require(taskId: string): Promise<string> {
    const id = await this.lookup(taskId);
    if (!id) throw new NotFoundError('container of task', taskId);
    return id;
  }

  /** Asks the engine for the task's container on this node (and caches the answer). */
  private async find(taskId: string): Promise<string | undefined> {
    const [found] = await this.list([labelFilter(ORCH_LABELS.taskId, taskId)]);
    if (found) this.containerIds.set(taskId, found.Id);
    return found?.Id;
  }

  /** This node's containers in every state, narrowed by further label filters. */
  private list(labels: readonly string[]): Promise<ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: [this.nodeLabel, ...labels] } });
  }
}

/** What `recover` reports for one listed container. */
function recoveredTask(taskId: string, c: ContainerInfo): RecoveredTask {
  const running = c.State === 'running';
  const exited = EXITED_STATUS.exec(c.Status);
  return {
    taskId,
    runtimeId: c.Id,
    running,
    exitCode: exited ? Number(exited[1]) : undefined,
    addr: running ? containerAddress(c.HostConfig.NetworkMode, c.NetworkSettings.Networks) : undefined,
    ports: running ? listedPorts(c) : undefined,
  };
}

/** The exposed ports of a listed container, as `docker ps` reports them. */
function listedPorts(c: ContainerInfo): PortBinding[] {
  const map: PortMap = {};
  for (const p of c.Ports) if (p.PublicPort) (map[`${p.PrivatePort}/${p.Type}`] ??= []).push({ HostIp: p.IP, HostPort: String(p.PublicPort) });
  return boundPorts(map, c.Labels[ORCH_LABELS.exposeAddress]);
}
