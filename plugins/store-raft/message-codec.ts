import { parseMembers } from './membership';
import type { Message } from './messages';
import type { Entry, EntryKind } from './types';

/*
 * Wire format of one Raft message: [u32 header length][header: JSON][blob][blob]…
 * The header is the message with every byte array (entry data, forwarded proposals, snapshot data)
 * replaced by its length in `blobs` order; the blobs follow, raw. Proposals are JSON already, so
 * nothing is base64-encoded twice.
 */

/** Scalar fields each message type must carry (beyond from, to, term), by kind of value. */
const FIELDS: Readonly<Record<Message['type'], { index?: string[]; bool?: string[]; text?: string[] }>> = {
  prevote: { index: ['lastLogIndex', 'lastLogTerm'] },
  vote: { index: ['lastLogIndex', 'lastLogTerm'] },
  'prevote-response': { bool: ['granted'] },
  'vote-response': { bool: ['granted'] },
  append: { index: ['prevLogIndex', 'prevLogTerm', 'commit'] },
  'append-response': { index: ['index', 'lastIndex'], bool: ['success'] },
  heartbeat: { index: ['commit', 'read'] },
  'heartbeat-response': { index: ['read'] },
  snapshot: {},
  'timeout-now': {},
  'read-index': { text: ['ctx'] },
  'read-index-response': { index: ['index'], text: ['ctx'] },
  propose: { text: ['ctx'] },
  'propose-response': { index: ['index'], text: ['ctx'] },
};
const KINDS: ReadonlySet<EntryKind> = new Set(['data', 'noop', 'config']);

/** Encodes a message for the wire. */
export function encodeMessage(m: Message): Buffer {
  const blobs: Uint8Array[] = [];
  const take = (b: Uint8Array) => blobs.push(b) - 1;
  let header: unknown = m;
  if (m.type === 'append') header = { ...m, entries: m.entries.map((e) => ({ index: e.index, term: e.term, kind: e.kind, data: take(e.data) })) };
  else if (m.type === 'snapshot') header = { ...m, snapshot: { ...m.snapshot, data: take(m.snapshot.data) } };
  else if (m.type === 'propose') header = { ...m, data: m.data.map(take) };
  const json = Buffer.from(JSON.stringify({ m: header, blobs: blobs.map((b) => b.length) }));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(json.length);
  return Buffer.concat([prefix, json, ...blobs]);
}

/**
 * Decodes a message from the wire.
 * @throws Error saying what is malformed
 */
export function decodeMessage(buf: Buffer): Message {
  if (buf.length < 4) throw new Error('raft message is shorter than its length prefix');
  const headerLength = buf.readUInt32BE(0);
  if (4 + headerLength > buf.length) throw new Error('raft message header runs past the end');
  let parsed: { m?: Record<string, unknown>; blobs?: unknown };
  try {
    parsed = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8'));
  } catch {
    throw new Error('raft message header is not JSON');
  }
  const blobs = splitBlobs(buf.subarray(4 + headerLength), parsed.blobs);
  const m = parsed.m;
  if (typeof m !== 'object' || m === null) throw new Error('raft message has no body');
  const fields = Object.hasOwn(FIELDS, m.type as string) ? FIELDS[m.type as Message['type']] : undefined;
  if (!fields) throw new Error(`unknown raft message type ${JSON.stringify(m.type)}`);
  if (typeof m.from !== 'string' || typeof m.to !== 'string' || !isIndex(m.term)) throw new Error(`raft ${m.type} message lacks from, to or term`);
  const bad = [
    ...(fields.index ?? []).filter((f) => !isIndex(m[f])),
    ...(fields.bool ?? []).filter((f) => typeof m[f] !== 'boolean'),
    ...(fields.text ?? []).filter((f) => typeof m[f] !== 'string'),
  ];
  if (bad.length > 0) throw new Error(`raft ${m.type} message has missing or malformed ${bad.join(', ')}`);
  const blob = (i: unknown): Uint8Array => {
    if (!Number.isInteger(i) || blobs[i as number] === undefined) throw new Error(`raft ${m.type} message refers to a missing blob ${String(i)}`);
    return blobs[i as number];
  };
  if (m.type === 'append') {
    if (!Array.isArray(m.entries)) throw new Error('raft append message has no entries list');
    return asMessage({ ...m, entries: m.entries.map((e) => decodeEntry(e, blob)) });
  }
  if (m.type === 'snapshot') {
    const s = m.snapshot as Record<string, unknown> | undefined;
    if (!s || !isIndex(s.index) || !isIndex(s.term)) throw new Error('raft snapshot message lacks index or term');
    return asMessage({ ...m, snapshot: { index: s.index, term: s.term, members: parseMembers(s.members), data: blob(s.data) } });
  }
  if (m.type === 'propose') {
    if (!Array.isArray(m.data)) throw new Error('raft propose message has no data list');
    return asMessage({ ...m, data: m.data.map(blob) });
  }
  return asMessage(m);
}

/** A body whose fields were checked above. */
const asMessage = (m: object): Message => m as unknown as Message;

function decodeEntry(e: unknown, blob: (i: unknown) => Uint8Array): Entry {
  const r = e as Record<string, unknown>;
  if (typeof r !== 'object' || r === null || !isIndex(r.index) || !isIndex(r.term) || !KINDS.has(r.kind as EntryKind)) {
    throw new Error('raft append message has a malformed entry');
  }
  return { index: r.index, term: r.term, kind: r.kind as EntryKind, data: blob(r.data) };
}

function splitBlobs(rest: Buffer, lengths: unknown): Buffer[] {
  if (!Array.isArray(lengths) || !lengths.every(isIndex)) throw new Error('raft message has a malformed blob list');
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total !== rest.length) throw new Error(`raft message blobs add up to ${total} bytes, ${rest.length} follow the header`);
  const out: Buffer[] = [];
  let at = 0;
  for (const n of lengths) {
    out.push(rest.subarray(at, at + n));
    at += n;
  }
  return out;
}

function isIndex(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}
