import type { Cluster, Network, Node, Service, StoredObject, Task } from '../model/types';

/** The tables of the cluster store and the object each holds. */
export interface TableTypes {
  nodes: Node;
  services: Service;
  tasks: Task;
  clusters: Cluster;
  networks: Network;
}
export type TableName = keyof TableTypes;
export const TABLE_NAMES: readonly TableName[] = ['clusters', 'nodes', 'services', 'tasks', 'networks'];

/** Read access to one table. Returned objects are shared and must not be mutated. */
export interface TableReader<T> {
  get(id: string): T | undefined;
  all(): readonly T[];
  readonly size: number;
}

/** A service's tasks by their state, as `service ls` shows them. */
export interface ServiceTaskCounts {
  /** Tasks desired RUNNING. */
  readonly live: number;
  /** Of those, the ones observed RUNNING. */
  readonly running: number;
}

/** Counts of tasks as one task adds to them. Pure. */
export function countsOfTask(t: Task): ServiceTaskCounts {
  const live = t.desiredState === 'running' ? 1 : 0;
  return { live, running: live && t.status.state === 'running' ? 1 : 0 };
}

/** A consistent read view of the whole store at one version. */
export interface StoreReader {
  /** Store version: the index of the last applied write. */
  readonly version: number;
  readonly clusters: TableReader<Cluster>;
  readonly nodes: TableReader<Node>;
  readonly services: TableReader<Service> & { byName(name: string): Service | undefined };
  readonly tasks: TableReader<Task> & {
    byService(serviceId: string): readonly Task[];
    byNode(nodeId: string): readonly Task[];
    /** How many of a service's tasks are desired running, and how many of those run (kept as tasks change, for listings). */
    countsOf(serviceId: string): ServiceTaskCounts;
  };
  readonly networks: TableReader<Network> & { byName(name: string): Network | undefined };
}

/** An object as handed to `create`: everything but the metadata, which the store fills in. */
export type NewObject<T extends StoredObject> = Omit<T, 'meta'>;

/** Writes to one table inside a transaction. */
export interface TableWriter<T extends StoredObject> {
  /** Adds an object; fails at commit with a conflict if the id already exists. */
  create(obj: NewObject<T>): void;
  /**
   * Replaces an object. `obj.meta.version` must be the version that was read: if the object
   * changed in between, the whole transaction fails with a ConflictError (optimistic concurrency).
   */
  update(obj: T): void;
  /** Removes an object (a no-op if it does not exist). */
  delete(id: string): void;
}

/** A write transaction: reads see the transaction's own writes. */
export interface WriteTx extends StoreReader {
  readonly clusters: StoreReader['clusters'] & TableWriter<Cluster>;
  readonly nodes: StoreReader['nodes'] & TableWriter<Node>;
  readonly services: StoreReader['services'] & TableWriter<Service>;
  readonly tasks: StoreReader['tasks'] & TableWriter<Task>;
  readonly networks: StoreReader['networks'] & TableWriter<Network>;
}

export type ChangeKind = 'create' | 'update' | 'delete';

/** One committed change, as watchers see it. */
export interface ChangeEvent {
  readonly table: TableName;
  readonly kind: ChangeKind;
  /** The object after the change (before it, for a delete). */
  readonly object: StoredObject;
  /** The object before the change, for updates. */
  readonly previous?: StoredObject;
  /** Store version of the write that made this change. */
  readonly version: number;
}

/** Called with the changes of each committed write, in commit order. */
export type ChangeListener = (events: readonly ChangeEvent[]) => void;

/**
 * The cluster store every control loop is built on. One implementation is active per daemon
 * (token `Tokens.ClusterStore`); the default is store-raft's.
 */
export interface ClusterStore {
  /** Current version (index of the last applied write). */
  readonly version: number;
  /** Runs `fn` against a consistent read view. Synchronous: the view is valid only inside `fn`. */
  view<R>(fn: (r: StoreReader) => R): R;
  /**
   * Runs `fn` against a write transaction and commits its writes durably (through consensus). `fn` runs
   * synchronously, before `update` returns its promise (callers rely on knowing what it wrote at once).
   * Resolves once the write is applied, with the new store version and `fn`'s result.
   * Rejects with ConflictError if an object it updated changed since it was read; nothing is written then.
   * A transaction with no writes resolves at once without a commit.
   */
  update<R>(fn: (tx: WriteTx) => R): Promise<{ version: number; result: R }>;
  /**
   * Subscribes to committed changes. With `fromVersion`, first replays every change after that version
   * (throws if those changes are no longer retained). Returns a function that unsubscribes.
   */
  watch(listener: ChangeListener, fromVersion?: number): () => void;
  /**
   * Optional: the state as a ReplicaFeed can copy it to a ReadReplica (in another thread, say). A store
   * without it serves every read on its own thread.
   */
  readonly replicable?: ReplicaSource;
}

/** Hears every entry handed to a replicable state (see ReplicaSource.tapEntries). */
export interface EntryTap {
  /**
   * Entry `index` is about to be applied (whether it changes anything or not): heard before the state takes
   * it and tells its listeners, so a copy elsewhere can apply it meanwhile; nothing is acknowledged before.
   */
  applying(index: number, data: Uint8Array): void;
  /** The state was replaced by snapshot `data` taken at `index`. */
  restored(index: number, data: Uint8Array): void;
}

/** A state a ReplicaFeed can copy: a snapshot of it, then the entries it applies after. */
export interface ReplicaSource {
  /** Index of the last entry applied. */
  readonly appliedIndex: number;
  /** The state at `appliedIndex` as when called, serialized (as StateMachine.snapshot; ReadReplica restores it). */
  snapshot(): Promise<Uint8Array>;
  /** Hands `tap` every entry applied and snapshot restored from now on, as they come. Returns a function that removes it. */
  tapEntries(tap: EntryTap): () => void;
}

/** A write as it travels through consensus: deterministic to apply on every replica. */
export interface Changeset {
  /** Proposer's clock, used for createdAt / updatedAt so every replica stores the same object. */
  readonly at: string;
  readonly ops: readonly ChangeOp[];
}

/**
 * One write of a changeset. An update carries only the top-level fields it changes (`set`) and those it
 * drops (`unset`), laid over the object at `expectVersion`: a task's status change does not carry its spec
 * through consensus, the log and every replica's memory again.
 */
export type ChangeOp =
  | { readonly op: 'create'; readonly table: TableName; readonly object: NewObject<StoredObject> }
  | {
      readonly op: 'update';
      readonly table: TableName;
      readonly id: string;
      readonly expectVersion: number;
      readonly set: Readonly<Record<string, unknown>>;
      readonly unset?: readonly string[];
    }
  | { readonly op: 'delete'; readonly table: TableName; readonly id: string };

/** Outcome of applying one changeset to the state machine. */
export type ApplyResult = { readonly ok: true; readonly version: number } | { readonly ok: false; readonly conflict: string };
