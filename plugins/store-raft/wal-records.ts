import type { Entry, EntryKind, HardState } from './types';

/** One WAL record: a log entry, or the hard state as of that point. */
export type WalRecord = { readonly type: 'entry'; readonly entry: Entry } | { readonly type: 'hard-state'; readonly hardState: HardState };

/*
 * Payload layouts (big-endian):
 *   entry:      [u8 1][u64 term][u64 index][u8 kind: 0 data, 1 noop, 2 config][data…]
 *   hard state: [u8 2][u64 term][u64 commit][vote, UTF-8; empty for none]
 */
const ENTRY = 1;
const HARD_STATE = 2;
const KINDS: readonly EntryKind[] = ['data', 'noop', 'config'];
const ENTRY_HEADER = 18;
const HARD_STATE_HEADER = 17;

/** The payload of an entry record. */
export function encodeEntry(e: Entry): Buffer {
  const buf = Buffer.alloc(ENTRY_HEADER + e.data.length);
  buf.writeUInt8(ENTRY, 0);
  buf.writeBigUInt64BE(BigInt(e.term), 1);
  buf.writeBigUInt64BE(BigInt(e.index), 9);
  buf.writeUInt8(KINDS.indexOf(e.kind), 17);
  buf.set(e.data, ENTRY_HEADER);
  return buf;
}

/** The payload of a hard-state record. */
export function encodeHardState(hs: HardState): Buffer {
  const vote = Buffer.from(hs.vote ?? '', 'utf8');
  const buf = Buffer.alloc(HARD_STATE_HEADER + vote.length);
  buf.writeUInt8(HARD_STATE, 0);
  buf.writeBigUInt64BE(BigInt(hs.term), 1);
  buf.writeBigUInt64BE(BigInt(hs.commit), 9);
  buf.set(vote, HARD_STATE_HEADER);
  return buf;
}

/**
 * Decodes a record payload (whose checksum has been checked).
 * @throws Error describing what is malformed
 */
export function decodeRecord(payload: Buffer): WalRecord {
  const type = payload.readUInt8(0);
  if (type === ENTRY && payload.length >= ENTRY_HEADER) {
    const kind = KINDS[payload.readUInt8(17)];
    if (!kind) throw new Error(`unknown entry kind ${payload.readUInt8(17)}`);
    const entry: Entry = { term: readU64(payload, 1), index: readU64(payload, 9), kind, data: payload.subarray(ENTRY_HEADER) };
    return { type: 'entry', entry };
  }
  if (type === HARD_STATE && payload.length >= HARD_STATE_HEADER) {
    const vote = payload.subarray(HARD_STATE_HEADER).toString('utf8');
    const hardState: HardState = { term: readU64(payload, 1), commit: readU64(payload, 9), ...(vote ? { vote } : {}) };
    return { type: 'hard-state', hardState };
  }
  throw new Error(`unknown or short record (type ${type}, ${payload.length} bytes)`);
}

function readU64(buf: Buffer, offset: number): number {
  return Number(buf.readBigUInt64BE(offset));
}
