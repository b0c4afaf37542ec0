import { ConflictError, OrchError } from '../errors';
import type { ApplyResult, ChangeListener, ClusterStore, StoreReader, WriteTx } from './contract';
import { MemoryState } from './memory-state';
import type { ReplicatedLog } from './replicated-log';
import { Transaction } from './transaction';

/**
 * A ClusterStore whose writes go through a ReplicatedLog and land in a MemoryState on every member.
 * Reads are served from local memory. Any consensus plugin gets a complete store from this class.
 */
export class ReplicatedStore implements ClusterStore {
  readonly state = new MemoryState();

  constructor(
    private readonly log: ReplicatedLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Recovers state from the log's disk and starts consensus. */
  async start(): Promise<void> {
    await this.log.start(this.state);
  }

  async stop(): Promise<void> {
    await this.log.stop();
  }

  get replicable(): MemoryState {
    return this.state;
  }

  get version(): number {
    return this.state.version;
  }

  view<R>(fn: (r: StoreReader) => R): R {
    return fn(this.state);
  }

  async update<R>(fn: (tx: WriteTx) => R): Promise<{ version: number; result: R }> {
    const t = new Transaction(this.state);
    const result = fn(t.tx);
    if (t.empty) return { version: this.state.version, result };
    const data = Buffer.from(JSON.stringify(t.changeset(this.clock().toISOString())));
    let applied: ApplyResult;
    try {
      applied = (await this.log.propose(data)) as ApplyResult;
    } catch (err) {
      throw new OrchError('unavailable', `store write failed: ${(err as Error).message}`);
    }
    if (!applied.ok) throw new ConflictError(applied.conflict);
    return { version: applied.version, result };
  }

  watch(listener: ChangeListener, fromVersion?: number): () => void {
    return this.state.watch(listener, fromVersion);
  }
}
