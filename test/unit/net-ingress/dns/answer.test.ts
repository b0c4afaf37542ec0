import {
  AUTHORITATIVE_ANSWER,
  RECURSION_DESIRED,
  TRUNCATED_RESPONSE,
  decode,
  encode,
  type DecodedPacket,
  type Packet,
  type Question,
  type StringAnswer,
} from 'dns-packet';
import type { DnsQuery } from '../../../../core/network/contract';
import { Rcode, UDP_MAX_BYTES, answerQuery, serverFailure, truncate } from '../../../../plugins/net-ingress/dns/answer';

const origin = { networkId: 'net1', source: '10.0.1.7' };

/** A query as the server decodes it off the wire. */
const query = (questions: Question[], flags = RECURSION_DESIRED): DecodedPacket =>
  decode(encode({ id: 4242, type: 'query', flags, questions }));

const aQuery = (name: string, type: Question['type'] = 'A'): DecodedPacket => query([{ type, name, class: 'IN' }]);

/** A resolver knowing `names`, recording what it is asked. */
function resolver(names: Record<string, readonly string[]>) {
  const asked: DnsQuery[] = [];
  const resolve = (q: DnsQuery): readonly string[] | undefined => {
    asked.push(q);
    return names[q.name];
  };
  return { asked, resolve };
}

const rcodeOf = (packet: Packet): number => (packet.flags ?? 0) & 0xf;

/** The packet `decision` must be, as a client would decode it. */
function replied(decision: Packet | 'forward'): DecodedPacket {
  if (decision === 'forward') throw new Error('expected a reply, got forward');
  return decode(encode(decision));
}

describe('answerQuery', () => {
  it('answers A records for a known name, in the given order, keeping id, RD and question', () => {
    const { asked, resolve } = resolver({ web: ['10.0.1.3', '10.0.1.9', '10.0.1.4'] });
    const reply = replied(answerQuery(aQuery('web'), origin, resolve));
    expect(asked).toEqual([{ networkId: 'net1', name: 'web', source: '10.0.1.7' }]);
    expect(reply.id).toBe(4242);
    expect(reply.type).toBe('response');
    expect(rcodeOf(reply)).toBe(Rcode.NOERROR);
    expect(reply.flag_rd).toBe(true);
    expect(reply.flag_aa).toBe(true);
    expect(reply.flag_ra).toBe(true);
    expect(reply.flag_tc).toBe(false);
    expect(reply.questions).toEqual([{ name: 'web', type: 'A', class: 'IN' }]);
    const answers = reply.answers as StringAnswer[];
    expect(answers.map((a) => a.data)).toEqual(['10.0.1.3', '10.0.1.9', '10.0.1.4']);
    expect(answers.every((a) => a.type === 'A' && a.name === 'web' && a.ttl === 0 && a.class === 'IN')).toBe(true);
  });

  it('asks for the name lower-cased, without trailing dot, and answers with the name as asked', () => {
    const { asked, resolve } = resolver({ 'tasks.web': ['10.0.1.3'] });
    const reply = replied(answerQuery(aQuery('Tasks.WEB.'), origin, resolve));
    expect(asked.map((q) => q.name)).toEqual(['tasks.web']);
    expect((reply.answers as StringAnswer[]).map((a) => [a.name, a.data])).toEqual([['Tasks.WEB', '10.0.1.3']]);
  });

  it('answers NOERROR without records (NODATA) for a known name with no address', () => {
    const { resolve } = resolver({ web: [] });
    const reply = replied(answerQuery(aQuery('web'), origin, resolve));
    expect(rcodeOf(reply)).toBe(Rcode.NOERROR);
    expect(reply.answers).toEqual([]);
    expect(reply.questions).toEqual([{ name: 'web', type: 'A', class: 'IN' }]);
  });

  it.each<Question['type']>(['AAAA', 'MX', 'TXT'])('answers NODATA to a %s question for a known name', (type) => {
    const { resolve } = resolver({ web: ['10.0.1.3'] });
    const reply = replied(answerQuery(aQuery('web', type), origin, resolve));
    expect(rcodeOf(reply)).toBe(Rcode.NOERROR);
    expect(reply.answers).toEqual([]);
    expect(reply.questions?.[0].type).toBe(type);
  });

  it('leaves non-IPv4 addresses out of A answers', () => {
    const { resolve } = resolver({ web: ['fd00::3', '10.0.1.3'] });
    const reply = replied(answerQuery(aQuery('web'), origin, resolve));
    expect((reply.answers as StringAnswer[]).map((a) => a.data)).toEqual(['10.0.1.3']);
  });

  it('forwards names the kernel does not know, whatever their type', () => {
    const { asked, resolve } = resolver({ web: ['10.0.1.3'] });
    expect(answerQuery(aQuery('google.com'), origin, resolve)).toBe('forward');
    expect(answerQuery(aQuery('google.com', 'AAAA'), origin, resolve)).toBe('forward');
    expect(asked.map((q) => q.name)).toEqual(['google.com', 'google.com']);
  });

  it('forwards other classes and the root without asking resolve', () => {
    const { asked, resolve } = resolver({ 'version.bind': ['10.0.1.3'], '': ['10.0.1.3'] });
    expect(answerQuery(query([{ type: 'TXT', name: 'version.bind', class: 'CH' }]), origin, resolve)).toBe('forward');
    expect(answerQuery(aQuery('.', 'NS'), origin, resolve)).toBe('forward');
    expect(asked).toEqual([]);
  });

  it('answers FORMERR unless there is exactly one question', () => {
    const { asked, resolve } = resolver({ web: ['10.0.1.3'], db: ['10.0.1.5'] });
    const none = replied(answerQuery(query([]), origin, resolve));
    expect(rcodeOf(none)).toBe(Rcode.FORMERR);
    expect(none.id).toBe(4242);
    const two = replied(
      answerQuery(
        query([
          { type: 'A', name: 'web', class: 'IN' },
          { type: 'A', name: 'db', class: 'IN' },
        ]),
        origin,
        resolve,
      ),
    );
    expect(rcodeOf(two)).toBe(Rcode.FORMERR);
    expect(two.answers).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('answers NOTIMP to another opcode than QUERY, keeping the opcode', () => {
    const { asked, resolve } = resolver({ web: ['10.0.1.3'] });
    const notify = 4 << 11;
    const reply = replied(answerQuery(query([{ type: 'A', name: 'web', class: 'IN' }], notify), origin, resolve));
    expect(rcodeOf(reply)).toBe(Rcode.NOTIMP);
    expect(((reply.flags ?? 0) >> 11) & 0xf).toBe(4);
    expect(asked).toEqual([]);
  });

  it('lets an error of resolve propagate', () => {
    const resolve = (): never => {
      throw new Error('boom');
    };
    expect(() => answerQuery(aQuery('web'), origin, resolve)).toThrow('boom');
  });
});

describe('serverFailure', () => {
  it('is a SERVFAIL reply to the query', () => {
    const reply = decode(encode(serverFailure(aQuery('google.com'))));
    expect(rcodeOf(reply)).toBe(Rcode.SERVFAIL);
    expect(reply.id).toBe(4242);
    expect(reply.type).toBe('response');
    expect(reply.questions).toEqual([{ name: 'google.com', type: 'A', class: 'IN' }]);
    expect(reply.answers).toEqual([]);
  });
});

describe('truncate', () => {
  const addrs = Array.from({ length: 100 }, (_, i) => `10.0.${i >> 8}.${i & 0xff}`);
  const big = (): Packet => {
    const decision = answerQuery(aQuery('tasks.web'), origin, () => addrs);
    if (decision === 'forward') throw new Error('expected a reply');
    return decision;
  };

  it('keeps a reply that fits as it is', () => {
    const reply = big();
    expect(truncate(reply, 65_535)).toBe(reply);
  });

  it('keeps as many answers as fit and sets TC', () => {
    const wire = encode(truncate(big(), UDP_MAX_BYTES));
    expect(wire.length).toBeLessThanOrEqual(UDP_MAX_BYTES);
    const reply = decode(wire);
    expect(reply.flag_tc).toBe(true);
    const kept = (reply.answers as StringAnswer[]).map((a) => a.data);
    // 12-byte header, 15-byte question, 25 bytes per record: 19 fit in 512.
    expect(kept).toEqual(addrs.slice(0, 19));
    expect(rcodeOf(reply)).toBe(Rcode.NOERROR);
    expect((reply.flags ?? 0) & AUTHORITATIVE_ANSWER).toBe(AUTHORITATIVE_ANSWER);
    expect((reply.flags ?? 0) & TRUNCATED_RESPONSE).toBe(TRUNCATED_RESPONSE);
  });
});
