import { decodeMessage, encodeMessage } from '../../../plugins/store-raft/message-codec';
import type { Message } from '../../../plugins/store-raft/messages';

const base = { from: 'm1', to: 'm2', term: 7 };
const b = (s: string) => Buffer.from(s);
const samples: Message[] = [
  { ...base, type: 'prevote', lastLogIndex: 3, lastLogTerm: 2 },
  { ...base, type: 'vote', lastLogIndex: 3, lastLogTerm: 2, transfer: true },
  { ...base, type: 'vote-response', granted: false },
  {
    ...base,
    type: 'append',
    prevLogIndex: 4,
    prevLogTerm: 6,
    commit: 4,
    entries: [
      { index: 5, term: 7, kind: 'data', data: b('{"ops":[]}') },
      { index: 6, term: 7, kind: 'config', data: b('[{"id":"m1","addr":"a:1"}]') },
      { index: 7, term: 7, kind: 'noop', data: b('') },
    ],
  },
  { ...base, type: 'append-response', success: true, index: 7, lastIndex: 7 },
  { ...base, type: 'heartbeat', commit: 7, read: 2 },
  { ...base, type: 'heartbeat-response', read: 2 },
  { ...base, type: 'snapshot', snapshot: { index: 9, term: 7, members: [{ id: 'm1', addr: 'a:1' }], data: b('state') } },
  { ...base, type: 'timeout-now' },
  { ...base, type: 'read-index', ctx: 'm1/r1' },
  { ...base, type: 'read-index-response', ctx: 'm1/r1', index: 9 },
  { ...base, type: 'propose', ctx: 'm1/p1', data: [b('x'), b('yy')] },
  { ...base, type: 'propose-response', ctx: 'm1/p1', index: 0, refused: 'not the leader' },
];

/** Byte arrays as strings, so that Buffers and Uint8Arrays compare equal. */
const plain = (m: unknown): unknown => JSON.parse(JSON.stringify(m, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString() : v)));

describe('Raft message codec', () => {
  it.each(samples.map((m) => [m.type, m] as const))('round-trips %s', (_type, m) => {
    expect(plain(decodeMessage(encodeMessage(m)))).toEqual(plain(m));
  });

  it('says what is wrong with a malformed message', () => {
    const header = (h: object, tail = Buffer.alloc(0)) => {
      const json = Buffer.from(JSON.stringify(h));
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(json.length);
      return Buffer.concat([prefix, json, tail]);
    };
    expect(() => decodeMessage(Buffer.from([0, 0]))).toThrow('shorter than its length prefix');
    expect(() => decodeMessage(Buffer.from([0, 0, 0, 9, 1]))).toThrow('header runs past the end');
    expect(() => decodeMessage(header({ m: { ...base, type: 'gossip' }, blobs: [] }))).toThrow('unknown raft message type "gossip"');
    expect(() => decodeMessage(header({ m: { ...base, type: 'toString' }, blobs: [] }))).toThrow('unknown raft message type');
    expect(() => decodeMessage(header({ m: { type: 'heartbeat', to: 'x', term: 1 }, blobs: [] }))).toThrow('lacks from, to or term');
    expect(() => decodeMessage(header({ m: { ...base, type: 'heartbeat', commit: -1 }, blobs: [] }))).toThrow('malformed commit, read');
    expect(() => decodeMessage(header({ m: { ...base, type: 'propose', ctx: 'c', data: [0] }, blobs: [5] }, b('abc')))).toThrow('blobs add up to 5 bytes, 3 follow');
    expect(() => decodeMessage(header({ m: { ...base, type: 'propose', ctx: 'c', data: [1] }, blobs: [] }))).toThrow('missing blob 1');
    const entry = { index: 1, term: 1, kind: 'weird', data: 0 };
    expect(() => decodeMessage(header({ m: { ...base, type: 'append', prevLogIndex: 0, prevLogTerm: 0, commit: 0, entries: [entry] }, blobs: [0] }))).toThrow('malformed entry');
  });
});
