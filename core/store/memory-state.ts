import type { StoredObject } from '../model/types';

/** An object of a table whose names are unique. */
type Named = StoredObject & { readonly spec: { readonly name: string } };
import type { StateMachine } from './replicated-log';
import { TABLE_NAMES, type ApplyResult, type EntryTap, type ReplicaSource, type ChangeEvent, type ChangeListener, type Changeset, type StoreReader } from './contract';
import { applyPatch } from './patch';
import { SliceWriter } from './slice-writer';
import { emptyTables, tableByName, type Tables } from './tables';

/** Changes kept for `watch(fromVersion)` replays, counted in events (whole changesets, the latest always). */
const RETAINED_EVENTS = 20_000;

/**
 * The cluster state as an in-memory, indexed database, and the state machine consensus drives.
 * Applying a changeset is all-or-nothing: if any update's expected version is stale, or a create's id
 * exists, nothing changes and the result names the conflict. Pure: no I/O, no clocks.
 */
export class MemoryState implements StateMachine, StoreReader, ReplicaSource {
  private tables: Tables = emptyTables();
  private readonly listeners = new Set<ChangeListener>();
  private readonly taps = new Set<EntryTap>();
  private readonly history: { version: number; events: readonly ChangeEvent[] }[] = [];
  private retainedEvents = 0;
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

  tapEntries(tap: EntryTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  apply(index: number, data: Uint8Array): ApplyResult {
    // Taps first: applying a big entry here (its listeners included) takes long, and a copy can take it meanwhile.
    for (const t of this.taps) t.applying(index, data);
    return this.applyData(index, data);
  }

  private applyData(index: number, data: Uint8Array): ApplyResult {
    let changeset: Changeset;
    try {
      changeset = JSON.parse(utf8(data)) as Changeset;
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
      if (op.op === 'create') {
        const obj = { ...op.object, meta: { version: index, createdAt: cs.at, updatedAt: cs.at } } as StoredObject;
        table.put(obj);
        events.push({ table: op.table, kind: 'create', object: obj, version: index });
        continue;
      }
      const old = table.get(op.id)!;
      const obj = applyPatch(old, op, { version: index, createdAt: old.meta.createdAt, updatedAt: cs.at });
      table.put(obj);
      events.push({ table: op.table, kind: 'update', object: obj, previous: old, version: index });
    }
    if (events.length > 0) {
      this.history.push({ version: index, events });
      this.retainedEvents += events.length;
      while (this.history.length > 1 && this.retainedEvents > RETAINED_EVENTS) this.retainedEvents -= this.history.shift()!.events.length;
      for (const l of [...this.listeners]) l(events);
    }
    return { ok: true, version: index };
  }

  /**
   * `{version, tables}` as JSON. The rows are taken at once (stored objects are never changed in place,
   * so later applies leave them alone), then written out a slice at a time, yielding in between.
   */
  async snapshot(): Promise<Uint8Array> {
    const tables = TABLE_NAMES.map((name) => [name, tableByName(this.tables, name)!.all()] as const);
    const out = new SliceWriter();
    out.write(`{"version":${this.applied},"tables":{`);
    for (const [t, [name, rows]] of tables.entries()) {
      out.write(`${t > 0 ? ',' : ''}${JSON.stringify(name)}:[`);
      for (let i = 0; i < rows.length; i++) {
        const turn = out.write(`${i > 0 ? ',' : ''}${JSON.stringify(rows[i])}`);
        if (turn) await turn;
      }
      out.write(']');
    }
    out.write('}}');
    return out.end();
  }

  restore(index: number, data: Uint8Array): void {
    const parsed = JSON.parse(utf8(data)) as { tables: Record<string, StoredObject[]> };
    this.tables = emptyTables();
    for (const name of TABLE_NAMES) {
      const table = tableByName(this.tables, name)!;
      for (const obj of parsed.tables[name] ?? []) table.put(obj);
    }
    this.applied = index;
    this.history.length = 0;
    this.retainedEvents = 0;
    for (const t of this.taps) t.restored(index, data);
  }

  private check(cs: Changeset): string | undefined {
    const created = new Set<string>();
    const names = new Map<string, string>();
    for (const op of cs.ops) {
      const table = tableByName(this.tables, op.table);
      if (!table) return `unknown table "${op.table}"`;
      if (op.op === 'delete') continue;
      const id = op.op === 'create' ? op.object.id : op.id;
      const cur = table.get(id);
      let spec: Named['spec'] | undefined;
      if (op.op === 'create') {
        const key = `${op.table}/${id}`;
        if (cur || created.has(key)) return `${op.table} ${id} already exists`;
        created.add(key);
        spec = (op.object as unknown as Named).spec;
      } else {
        if (!cur) return `${op.table} ${id} no longer exists`;
        if (cur.meta.version !== op.expectVersion) {
          return `${op.table} ${id} changed (version ${cur.meta.version}, expected ${op.expectVersion})`;
        }
        spec = (op.set.spec ?? (cur as unknown as Named).spec) as Named['spec'];
      }
      if (op.table === 'services' || op.table === 'networks') {
        const key = `${op.table}/${spec.name}`;
        const holder = this.tables[op.table].byName(spec.name)?.id ?? names.get(key);
        if (holder !== undefined && holder !== id) return `a ${op.table === 'services' ? 'service' : 'network'} named "${spec.name}" already exists`;
        names.set(key, id);
      }
    }
    return undefined;
  }
}

/** `data` decoded as UTF-8, without copying it first. */
function utf8(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
}
