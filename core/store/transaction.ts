import type { StoredObject } from '../model/types';
import { topLevelPatch } from './patch';
import { countsOfTask, type ChangeOp, type Changeset, type NewObject, type StoreReader, type TableName, type TableReader, type TableWriter, type WriteTx } from './contract';

/**
 * A write as recorded. An update keeps the stored object it replaces (to diff against at commit), the
 * version the writer read (a stale one fails at commit), and the object as last written here.
 */
type Recorded =
  | Exclude<ChangeOp, { op: 'update' }>
  | { readonly op: 'update'; readonly table: TableName; readonly base: StoredObject; readonly expectVersion: number; latest: StoredObject };

/**
 * A write transaction over a read view: records creates, updates and deletes as a Changeset and
 * shows them to later reads in the same transaction. Commit is the caller's job (see ReplicatedStore).
 */
export class Transaction {
  private readonly ops: Recorded[] = [];
  /** Pending writes by table and id; `null` marks a delete. */
  private readonly pending = new Map<TableName, Map<string, StoredObject | null>>();
  readonly tx: WriteTx;

  constructor(base: StoreReader) {
    this.tx = {
      get version() {
        return base.version;
      },
      clusters: this.overlay('clusters', base.clusters),
      nodes: this.overlay('nodes', base.nodes),
      services: this.overlay('services', base.services, {
        byName: (name: string) => this.byName('services', base.services, name),
      }),
      networks: this.overlay('networks', base.networks, {
        byName: (name: string) => this.byName('networks', base.networks, name),
      }),
      tasks: this.overlay('tasks', base.tasks, {
        byService: (id: string) => this.merge('tasks', base.tasks.byService(id), (t) => t.serviceId === id),
        byNode: (id: string) => this.merge('tasks', base.tasks.byNode(id), (t) => t.nodeId === id),
        countsOf: (id: string) => {
          if (this.pendingFor('tasks').size === 0) return base.tasks.countsOf(id);
          const mine = this.merge('tasks', base.tasks.byService(id), (t) => t.serviceId === id).map(countsOfTask);
          return { live: mine.reduce((n, c) => n + c.live, 0), running: mine.reduce((n, c) => n + c.running, 0) };
        },
      }),
    } as WriteTx;
  }

  /** The object named `name` in a named table as this transaction sees it: pending writes first, then the base's name index. */
  private byName<T extends StoredObject & { readonly spec: { readonly name: string } }>(
    table: 'services' | 'networks',
    base: { byName(name: string): T | undefined },
    name: string,
  ): T | undefined {
    const pending = this.pendingFor(table) as Map<string, T | null>;
    for (const s of pending.values()) if (s?.spec.name === name) return s;
    const stored = base.byName(name);
    if (!stored) return undefined;
    const written = pending.get(stored.id);
    // Deleted here (null), or renamed here: no longer under that name.
    return written === undefined ? stored : undefined;
  }

  /** True when the transaction wrote nothing. */
  get empty(): boolean {
    return this.ops.length === 0;
  }

  /** The recorded writes, stamped with `at`; each update as the fields it changes from what it read. */
  changeset(at: string): Changeset {
    const ops = this.ops.map((o): ChangeOp => {
      if (o.op !== 'update') return o;
      return { op: 'update', table: o.table, id: o.base.id, expectVersion: o.expectVersion, ...topLevelPatch(o.base, o.latest) };
    });
    return { at, ops };
  }

  /**
   * A table as this transaction sees and writes it, with the table's own lookups (`extra`). Built as one
   * literal: spreading it elsewhere would read `size` (a scan of the table) on every transaction.
   */
  private overlay<T extends StoredObject, X extends object = object>(table: TableName, reader: TableReader<T>, extra?: X): TableReader<T> & TableWriter<T> & X {
    const pending = this.pendingFor(table);
    const self = this;
    return {
      ...(extra as X),
      get: (id: string) => {
        const p = pending.get(id);
        return p === null ? undefined : ((p as T | undefined) ?? reader.get(id));
      },
      all: () => self.merge(table, reader.all(), () => true) as T[],
      get size() {
        let n = reader.size;
        for (const [id, p] of pending) {
          const stored = reader.get(id) !== undefined;
          if (p === null && stored) n--;
          else if (p !== null && !stored) n++;
        }
        return n;
      },
      create: (obj: NewObject<T>) => {
        const full = { ...obj, meta: { version: 0, createdAt: '', updatedAt: '' } } as unknown as T;
        pending.set(obj.id, full);
        this.ops.push({ op: 'create', table, object: obj as NewObject<StoredObject> });
      },
      update: (obj: T) => {
        if (pending.get(obj.id)) {
          // A second write to an object already written here: fold it into the earlier op.
          const i = this.ops.findIndex((o) => o.table === table && (o.op === 'create' ? o.object.id : o.op === 'update' ? o.base.id : undefined) === obj.id);
          const prior = this.ops[i];
          if (prior.op === 'update') prior.latest = obj;
          else this.ops[i] = { ...prior, object: obj } as Recorded;
        } else {
          this.ops.push({ op: 'update', table, base: reader.get(obj.id) ?? obj, expectVersion: obj.meta.version, latest: obj });
        }
        pending.set(obj.id, obj);
      },
      delete: (id: string) => {
        pending.set(id, null);
        this.ops.push({ op: 'delete', table, id });
      },
    };
  }

  private pendingFor(table: TableName): Map<string, StoredObject | null> {
    let m = this.pending.get(table);
    if (!m) this.pending.set(table, (m = new Map()));
    return m;
  }

  /** Base rows with this transaction's writes laid over them, filtered. */
  private merge<T extends StoredObject>(table: TableName, rows: readonly T[], keep: (row: T) => boolean): T[] {
    const pending = this.pendingFor(table);
    if (pending.size === 0) return rows.filter(keep);
    const out: T[] = [];
    for (const r of rows) if (!pending.has(r.id) && keep(r)) out.push(r);
    for (const p of pending.values()) if (p && keep(p as T)) out.push(p as T);
    return out;
  }
}
