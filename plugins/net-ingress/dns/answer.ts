import {
  AUTHORITATIVE_ANSWER,
  RECURSION_AVAILABLE,
  RECURSION_DESIRED,
  TRUNCATED_RESPONSE,
  encodingLength,
  type Answer,
  type DecodedPacket,
  type Packet,
} from 'dns-packet';
import { isIPv4 } from 'node:net';
import type { DnsQuery } from '../../../core/network/contract';

/** Response codes (the low 4 bits of a message's flags) this server answers with. */
export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NOTIMP: 4 } as const;

/** The largest DNS message a UDP reply may carry without EDNS (RFC 1035). */
export const UDP_MAX_BYTES = 512;

/** The largest DNS message TCP framing can carry (2-byte length). */
export const TCP_MAX_BYTES = 65_535;

/** TTL (s) of the records this server answers: tasks come and go, so nobody should cache them. */
const TTL = 0;

/** The opcode bits of the flags; opcode 0 is a standard query. */
const OPCODE_MASK = 0xf << 11;

/** Where a query comes from: the network whose server received it and the client's address. */
export interface QueryOrigin {
  readonly networkId: string;
  /** The querying client's IP address. */
  readonly source: string;
}

/** Finds the addresses of a name the kernel knows (see `DnsQuery`); `undefined` when the name is not ours. */
export type Resolve = (query: DnsQuery) => readonly string[] | undefined;

/** What to do with a query: reply with this packet, or `forward` it unchanged to the upstream resolvers. */
export type Decision = Packet | 'forward';

/** A reply to `query` (same id, opcode, RD bit and questions) with `rcode` and `answers`. */
function reply(query: DecodedPacket, rcode: number, answers: Answer[] = []): Packet {
  const flags = (query.flags ?? 0) & (OPCODE_MASK | RECURSION_DESIRED);
  return {
    id: query.id,
    type: 'response',
    flags: flags | AUTHORITATIVE_ANSWER | RECURSION_AVAILABLE | rcode,
    questions: query.questions,
    answers,
  };
}

/**
 * Decides how to answer a decoded query. A message must carry exactly one question (FORMERR otherwise) and
 * be a standard query (NOTIMP otherwise). An `IN` question whose name (lower-cased, without trailing dot)
 * `resolve` knows is answered here: its IPv4 addresses as A records in the given order for an A question,
 * NOERROR without records (NODATA) for any other type or when the name has no address, so that clients
 * move on at once. Every other query (unknown names, other classes, the root) is to be forwarded.
 * `resolve` may throw; the error propagates.
 */
export function answerQuery(query: DecodedPacket, origin: QueryOrigin, resolve: Resolve): Decision {
  const questions = query.questions ?? [];
  if (questions.length !== 1) return reply(query, Rcode.FORMERR);
  if (((query.flags ?? 0) & OPCODE_MASK) !== 0) return reply(query, Rcode.NOTIMP);
  const [question] = questions;
  const name = question.name.toLowerCase().replace(/\.$/, '');
  if (question.class !== 'IN' || name === '') return 'forward';
  const addrs = resolve({ networkId: origin.networkId, name, source: origin.source });
  if (addrs === undefined) return 'forward';
  if (question.type !== 'A') return reply(query, Rcode.NOERROR);
  const answers = addrs
    .filter((addr) => isIPv4(addr))
    .map((addr): Answer => ({ type: 'A', name: question.name, class: 'IN', ttl: TTL, data: addr }));
  return reply(query, Rcode.NOERROR, answers);
}

/** The bytes one answer record adds to a message. */
const sizeOf = (record: Answer): number => encodingLength({ answers: [record] }) - encodingLength({});

/** A SERVFAIL reply to `query`, for when no answer can be had. */
export function serverFailure(query: DecodedPacket): Packet {
  return reply(query, Rcode.SERVFAIL);
}

/**
 * `response` cut to at most `maxBytes` once encoded: as many answers as fit are kept and the TC bit tells
 * the client to ask again over TCP (RFC 1035 §4.2.1). A response that fits is returned as it is.
 */
export function truncate(response: Packet, maxBytes: number): Packet {
  if (encodingLength(response) <= maxBytes) return response;
  const answers = response.answers ?? [];
  let size = encodingLength({ ...response, answers: [], authorities: [], additionals: [] });
  let kept = 0;
  for (; kept < answers.length; kept += 1) {
    size += sizeOf(answers[kept]);
    if (size > maxBytes) break;
  }
  return {
    ...response,
    flags: (response.flags ?? 0) | TRUNCATED_RESPONSE,
    answers: answers.slice(0, kept),
    authorities: [],
    additionals: [],
  };
}
