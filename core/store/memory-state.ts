import type { StoredObject } from '../model/types';

/** An object of a table whose names are unique. */
type Named = StoredObject & { readonly spec: { readonly name: string } };
import type { StateMachine } from './replicated-log';
import { TABLE_NAMES, type ApplyResult, type ChangeEvent, type ChangeListener, type Changeset, type StoreReader } from './contract';
import { emptyTables, tableByName, type Tables } from './tables';

/** Changesets kept for `watch(fromVersion)` replays. */
const RETAINED_CHANGESETS = 4096;

/**
 * The cluster state as an in-memory, indexed database, and the state machine consensus drives.
 * Applying a changeset is all-or-nothing: if any update's expected version is stale, or a create's id
 * exists, nothing changes and the result names the conflict. Pure: no I/O, no clocks.
 */
export class MemoryState implements StateMachine, StoreReader {
  private tables: Tables = emptyTables();
  private readonly listeners = new Set<ChangeListener>();
  private readonly history: { version: number; events: readonly ChangeEvent[] }[] = [];
  private applied = 0;

  get appliedIndex(): number {
    return this.applied;
  }
  get version(): number {
    return this.applied;
  }
  get clusters(): StoreReader['clusters'] {
    return this.tables.clusters;
  }
  get nodes(): StoreReader['nodes'] {
    return this.tables.nodes;
  }
  get services(): StoreReader['services'] {
    return this.tables.services;
  }
  get tasks(): StoreReader['tasks'] {
    return this.tables.tasks;
  }
  get networks(): StoreReader['networks'] {
    return this.tables.networks;
  }

  /** Subscribes to applied changes; see ClusterStore.watch. */
  watch(listener: ChangeListener, fromVersion?: number): () => void {
    if (fromVersion !== undefined && fromVersion < this.applied) {
      const oldest = this.history[0];
      if (!oldest || oldest.version > fromVersion + 1) {
        throw new Error(`changes after version ${fromVersion} are no longer retained`);
      }
      for (const h of this.history) if (h.version > fromVersion) listener(h.events);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(index: number, data: Uint8Array): ApplyResult {
    let changeset: Changeset;
    try {
      changeset = JSON.parse(Buffer.from(data).toString('utf8')) as Changeset;
      if (!Array.isArray(changeset.ops)) throw new Error('no ops');
    } catch {
      this.applied = index;
      return { ok: false, conflict: `entry ${index} is not a valid changeset` };
    }
    return this.applyChangeset(index, changeset);
  }

  /** Applies a decoded changeset at `index` (all or nothing). */
  applyChangeset(index: number, cs: Changeset): ApplyResult {
    const conflict = this.check(cs);
    this.applied = index;
    if (conflict) return { ok: false, conflict };
    const events: ChangeEvent[] = [];
    for (const op of cs.ops) {
      const table = tableByName(this.tables, op.table)!;
      if (op.op === 'delete') {
        const old = table.remove(op.id);
        if (old) events.push({ table: op.table, kind: 'delete', object: old, version: index });
        continue;
      }
      const old = table.get(op.object.id);
      const meta = { version: index, createdAt: old?.meta.createdAt ?? cs.at, updatedAt: cs.at };
      const obj = { ...op.object, meta } as StoredObject;
      table.put(obj);
      events.push({ table: op.table, kind: old ? 'update' : 'create', object: obj, previous: old, version: index });
    }
    if (events.length > 0) {
      this.history.push({ version: index, events });
      if (this.history.length > RETAINED_CHANGESETS) this.history.shift();
      for (const l of [...this.listeners]) l(events);
    }
    return { ok: true, version: index };
  }

  snapshot(): Uint8Array {
    const dump: Record<string, readonly StoredObject[]> = {};
    for (const name of TABLE_NAMES) dump[name] = tableByName(this.tables, name)!.all();
    return Buffer.from(JSON.stringify({ version: this.applied, tables: dump }));
  }

  restore(index: number, data: Uint8Array): void {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { tables: Record<string, StoredObject[]> };
    this.tables = emptyTables();
    for (const name of TABLE_NAMES) {
      const table = tableByName(this.tables, name)!;
      for (const obj of parsed.tables[name] ?? []) table.put(obj);
    }
    this.applied = index;
    this.history.length = 0;
  }

  private check(cs: Changeset): string | undefined {
    const created = new Set<string>();
    const names = new Map<string, string>();
    for (const op of cs.ops) {
      const table = tableByName(this.tables, op.table);
      if (!table) return `unknown table "${op.table}"`;
      if (op.op === 'delete') continue;
      const cur = table.get(op.object.id);
      if (op.op === 'create') {
        const key = `${op.table}/${op.object.id}`;
        if (cur || created.has(key)) return `${op.table} ${op.object.id} already exists`;
        created.add(key);
      } else {
        if (!cur) return `${op.table} ${op.object.id} no longer exists`;
        if (cur.meta.version !== op.expectVersion) {
          return `${op.table} ${op.object.id} changed (version ${cur.meta.version}, expected ${op.expectVersion})`;
        }
      }
      if (op.table === 'services' || op.table === 'networks') {
        const name = (op.object as unknown as Named).spec.name;
        const key = `${op.table}/${name}`;
        const holder = this.tables[op.table].byName(name)?.id ?? names.get(key);
        if (holder !== undefined && holder !== op.object.id) return `a ${op.table === 'services' ? 'service' : 'network'} named "${name}" already exists`;
        names.set(key, op.object.id);
      }
    }
    return undefined;
  }
}
