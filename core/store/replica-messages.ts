/**
 * What a ReplicaFeed sends a ReadReplica: the state as a snapshot, then the entries applied after it,
 * until it drops it.
 * Entries travel packed in one buffer of their own, so that posting them to another thread transfers it
 * instead of copying every entry (and whatever larger buffer an entry was a view of).
 */
export type ReplicaMessage =
  | { readonly kind: 'restore'; readonly index: number; readonly data: Uint8Array }
  /** The feed stopped: the replica drops its state (and serves nothing until a new snapshot comes). */
  | { readonly kind: 'drop' }
  | { readonly kind: 'entries'; readonly indexes: readonly number[]; readonly ends: readonly number[]; readonly bytes: Uint8Array };

/** Entries as one `entries` message. Pure. */
export function packEntries(entries: readonly (readonly [index: number, data: Uint8Array])[]): ReplicaMessage & { kind: 'entries' } {
  let total = 0;
  for (const [, data] of entries) total += data.byteLength;
  const bytes = new Uint8Array(new ArrayBuffer(total));
  const indexes: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const [index, data] of entries) {
    bytes.set(data, at);
    at += data.byteLength;
    indexes.push(index);
    ends.push(at);
  }
  return { kind: 'entries', indexes, ends, bytes };
}

/** The entries of an `entries` message, in order. Pure. */
export function* unpackEntries(m: ReplicaMessage & { kind: 'entries' }): Generator<[index: number, data: Uint8Array]> {
  let start = 0;
  for (let i = 0; i < m.indexes.length; i++) {
    yield [m.indexes[i], m.bytes.subarray(start, m.ends[i])];
    start = m.ends[i];
  }
}
