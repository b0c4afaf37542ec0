import type { KvCasOutput, KvGetOutput, KvInput, KvPutOutput } from '../lincheck/kv-model';

/** A write as it travels through the log: a kv input plus an id unique in the whole run. */
export type KvCommand = { readonly id: string } & Exclude<KvInput, { op: 'get' }>;

/** Encodes a command as a proposal (JSON). */
export function encodeCommand(cmd: KvCommand): Uint8Array {
  return Buffer.from(JSON.stringify(cmd));
}

/** Decodes a proposal made by `encodeCommand`. */
export function decodeCommand(data: Uint8Array): KvCommand {
  const parsed = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as KvCommand & { expect?: string | null };
  return parsed.op === 'cas' ? { ...parsed, expect: parsed.expect ?? undefined } : parsed;
}

/**
 * The replicated state machine of the simulation: a key-value map with put and compare-and-set.
 * Remembers the last index it applied; snapshots are JSON.
 */
export class KvMachine {
  private values = new Map<string, string>();
  /** Last log index applied (or restored from a snapshot). */
  applied = 0;

  /** Applies a committed command at `index` and returns the reply its client gets. */
  apply(index: number, cmd: KvCommand): KvPutOutput | KvCasOutput {
    this.applied = index;
    if (cmd.op === 'put') {
      this.values.set(cmd.key, cmd.value);
      return {};
    }
    const ok = this.values.get(cmd.key) === cmd.expect;
    if (ok) this.values.set(cmd.key, cmd.value);
    return { ok };
  }

  /** Notes a committed entry that carries no command (a no-op or a member list). */
  skip(index: number): void {
    this.applied = index;
  }

  /** A read of `key` from the current state. */
  get(key: string): KvGetOutput {
    const value = this.values.get(key);
    return value === undefined ? {} : { value };
  }

  /** The whole state, canonical (keys sorted), as snapshot bytes. */
  snapshot(): Uint8Array {
    return Buffer.from(this.describe());
  }

  /** Replaces the state with a snapshot's, taken at `index`. */
  restore(index: number, data: Uint8Array): void {
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    this.values = new Map(text === '' ? [] : (JSON.parse(text) as [string, string][]));
    this.applied = index;
  }

  /** The state as canonical JSON, for comparing members. */
  describe(): string {
    return JSON.stringify([...this.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
