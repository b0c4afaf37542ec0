import type { Task } from '../model/types';

const NO_PORTS: readonly string[] = [];

/** The host-mode ports a task binds on its node, as `tcp/8080` (ports still to be allocated are skipped). */
export function hostPortKeys(task: Task): readonly string[] {
  let keys: string[] | undefined;
  for (const p of task.ports) {
    if (p.publishMode === 'host' && p.publishedPort > 0) (keys ??= []).push(`${p.protocol}/${p.publishedPort}`);
  }
  return keys ?? NO_PORTS;
}

/**
 * What the tasks placed on one node use, summed: their count, count per service, host ports and
 * reservations. Tasks are added and removed, so the sums can follow the store change by change.
 */
export class NodeUsage {
  tasks = 0;
  readonly byService = new Map<string, number>();
  /** Host ports in use, with how many tasks hold each (normally one). */
  private readonly portHolders = new Map<string, number>();
  readonly ports = new Set<string>();
  reservedCpus = 0;
  reservedMemory = 0;

  /** Counts `task` as placed here. */
  add(task: Task): void {
    this.tasks++;
    this.byService.set(task.serviceId, (this.byService.get(task.serviceId) ?? 0) + 1);
    for (const key of hostPortKeys(task)) {
      this.portHolders.set(key, (this.portHolders.get(key) ?? 0) + 1);
      this.ports.add(key);
    }
    const { nanoCpus = 0, memoryBytes = 0 } = task.spec.resources.reservations;
    this.reservedCpus += nanoCpus;
    this.reservedMemory += memoryBytes;
  }

  /** Stops counting `task` (as it was added). */
  remove(task: Task): void {
    this.tasks--;
    const left = (this.byService.get(task.serviceId) ?? 1) - 1;
    if (left > 0) this.byService.set(task.serviceId, left);
    else this.byService.delete(task.serviceId);
    for (const key of hostPortKeys(task)) {
      const holders = (this.portHolders.get(key) ?? 1) - 1;
      if (holders > 0) this.portHolders.set(key, holders);
      else {
        this.portHolders.delete(key);
        this.ports.delete(key);
      }
    }
    const { nanoCpus = 0, memoryBytes = 0 } = task.spec.resources.reservations;
    this.reservedCpus -= nanoCpus;
    this.reservedMemory -= memoryBytes;
  }
}
