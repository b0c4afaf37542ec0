import type { Cluster, Network, Node, Service, StoredObject, Task } from '../model/types';
import { countsOfTask, type ServiceTaskCounts, type TableReader } from './contract';

const NO_TASKS: ServiceTaskCounts = { live: 0, running: 0 };

/** One in-memory table. Subclasses keep secondary indexes in step through `put` and `remove`. */
export class Table<T extends StoredObject> implements TableReader<T> {
  protected readonly rows = new Map<string, T>();
  get(id: string): T | undefined {
    return this.rows.get(id);
  }
  all(): readonly T[] {
    return [...this.rows.values()];
  }
  get size(): number {
    return this.rows.size;
  }
  /** Inserts or replaces a row. */
  put(obj: T): void {
    const old = this.rows.get(obj.id);
    if (old) this.unindex(old);
    this.rows.set(obj.id, obj);
    this.index(obj);
  }
  /** Removes a row; returns it. */
  remove(id: string): T | undefined {
    const old = this.rows.get(id);
    if (!old) return undefined;
    this.rows.delete(id);
    this.unindex(old);
    return old;
  }
  protected index(_obj: T): void {}
  protected unindex(_obj: T): void {}
}

/** key → ids */
class Index {
  private readonly byKey = new Map<string, Set<string>>();
  add(key: string | undefined, id: string): void {
    if (key === undefined) return;
    let ids = this.byKey.get(key);
    if (!ids) this.byKey.set(key, (ids = new Set()));
    ids.add(id);
  }
  remove(key: string | undefined, id: string): void {
    if (key === undefined) return;
    const ids = this.byKey.get(key);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.byKey.delete(key);
  }
  ids(key: string): Iterable<string> {
    return this.byKey.get(key) ?? [];
  }
}

/** A table of objects with unique names (`spec.name`), indexed by name. */
export class NamedTable<T extends StoredObject & { readonly spec: { readonly name: string } }> extends Table<T> {
  private readonly idByName = new Map<string, string>();
  byName(name: string): T | undefined {
    const id = this.idByName.get(name);
    return id === undefined ? undefined : this.get(id);
  }
  protected override index(s: T): void {
    this.idByName.set(s.spec.name, s.id);
  }
  protected override unindex(s: T): void {
    if (this.idByName.get(s.spec.name) === s.id) this.idByName.delete(s.spec.name);
  }
}

export class TaskTable extends Table<Task> {
  private readonly service = new Index();
  private readonly node = new Index();
  private readonly counts = new Map<string, { live: number; running: number }>();
  countsOf(serviceId: string): ServiceTaskCounts {
    return this.counts.get(serviceId) ?? NO_TASKS;
  }
  byService(serviceId: string): readonly Task[] {
    return this.collect(this.service.ids(serviceId));
  }
  byNode(nodeId: string): readonly Task[] {
    return this.collect(this.node.ids(nodeId));
  }
  protected override index(t: Task): void {
    this.service.add(t.serviceId, t.id);
    this.node.add(t.nodeId, t.id);
    this.count(t, 1);
  }
  protected override unindex(t: Task): void {
    this.service.remove(t.serviceId, t.id);
    this.node.remove(t.nodeId, t.id);
    this.count(t, -1);
  }
  private count(t: Task, sign: 1 | -1): void {
    const { live, running } = countsOfTask(t);
    if (live === 0) return;
    const c = this.counts.get(t.serviceId) ?? { live: 0, running: 0 };
    c.live += sign * live;
    c.running += sign * running;
    if (c.live === 0) this.counts.delete(t.serviceId);
    else this.counts.set(t.serviceId, c);
  }
  private collect(ids: Iterable<string>): Task[] {
    const out: Task[] = [];
    for (const id of ids) {
      const t = this.rows.get(id);
      if (t) out.push(t);
    }
    return out;
  }
}

/** The full set of tables. */
export function emptyTables() {
  return {
    clusters: new Table<Cluster>(),
    nodes: new Table<Node>(),
    services: new NamedTable<Service>(),
    tasks: new TaskTable(),
    networks: new NamedTable<Network>(),
  };
}
export type Tables = ReturnType<typeof emptyTables>;

/** Table access by name, for code that handles every table alike. */
export function tableByName(tables: Tables, name: string): Table<StoredObject> | undefined {
  return (tables as unknown as Record<string, Table<StoredObject>>)[name];
}
