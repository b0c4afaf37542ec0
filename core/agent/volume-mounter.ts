import { OrchError } from '../errors';
import type { Hooks } from '../hooks';
import type { Mount, Task } from '../model/types';
import type { VolumeDriver } from '../volume/contract';

/** The default volume driver's name. */
export const DEFAULT_VOLUME_DRIVER = 'local';

/** The volume an anonymous mount of a task gets: one per task and mount, removed with the task. */
export function anonymousVolumeName(taskId: string, index: number): string {
  return `anon-${taskId}-${index}`;
}

/** A task's mounts with each volume mount bound to the host path its driver gave (`hostPaths`, in order). Pure. */
export function boundMounts(mounts: readonly Mount[], hostPaths: readonly string[]): Mount[] {
  let next = 0;
  return mounts.map((m) => (m.type === 'volume' ? { type: 'bind', source: hostPaths[next++], target: m.target, ...(m.readOnly && { readOnly: true }) } : m));
}

/**
 * A node's volume drivers, by name: the providers of `Tokens.VolumeDriver`, then whatever the `volume.driver`
 * hook finds (e.g. a Docker volume plugin). It mounts a task's volumes before the task is prepared, so a
 * runtime only ever sees bind mounts, and unmounts them once the task's runtime resources are removed.
 */
export class VolumeMounter {
  private readonly found = new Map<string, VolumeDriver>();

  constructor(
    private readonly drivers: readonly VolumeDriver[],
    private readonly hooks: Hooks,
  ) {}

  /** The driver of that name. @throws OrchError(invalid) when this node has none. */
  async driver(name: string): Promise<VolumeDriver> {
    const known = this.drivers.find((d) => d.name === name) ?? this.found.get(name);
    if (known) return known;
    const driver = await this.hooks.volume.driver.promise(name);
    if (!driver) throw new OrchError('invalid', `no volume driver "${name}" on this node (drivers: ${this.drivers.map((d) => d.name).join(', ') || 'none'}; a Docker volume plugin of that name is not installed)`, 'driver');
    this.found.set(name, driver);
    return driver;
  }

  /** Every driver this node has already, the providers first. */
  known(): VolumeDriver[] {
    return [...this.drivers, ...this.found.values()];
  }

  /**
   * Makes (if needed) and mounts each volume of the task, for the task; returns its mounts as the runtime
   * takes them (volumes bound to their host paths). A task without volumes comes back as it is.
   */
  async mountAll(task: Task): Promise<Task> {
    const mounts = task.spec.container.mounts ?? [];
    if (!mounts.some((m) => m.type === 'volume')) return task;
    const paths: string[] = [];
    for (const [i, m] of this.volumes(task)) {
      const driver = await this.driver(m.volume?.driver ?? DEFAULT_VOLUME_DRIVER);
      const name = m.source ?? anonymousVolumeName(task.id, i);
      await driver.create(name, m.volume?.options ?? {}, m.volume?.labels ?? {});
      paths.push(await driver.mount(name, task.id));
    }
    return { ...task, spec: { ...task.spec, container: { ...task.spec.container, mounts: boundMounts(mounts, paths) } } };
  }

  /** Unmounts the task's volumes, and removes its anonymous ones. */
  async unmountAll(task: Task): Promise<void> {
    for (const [i, m] of this.volumes(task)) {
      const driver = await this.driver(m.volume?.driver ?? DEFAULT_VOLUME_DRIVER);
      const name = m.source ?? anonymousVolumeName(task.id, i);
      await driver.unmount(name, task.id);
      if (m.source === undefined) await driver.remove(name);
    }
  }

  /** The task's volume mounts with their index among its mounts. */
  private volumes(task: Task): [number, Mount][] {
    return (task.spec.container.mounts ?? []).flatMap((m, i): [number, Mount][] => (m.type === 'volume' ? [[i, m]] : []));
  }
}
