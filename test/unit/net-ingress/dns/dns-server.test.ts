import { RECURSION_DESIRED, TRUNCATED_RESPONSE, decode, encode, type DecodedPacket, type StringAnswer } from 'dns-packet';
import dgram from 'node:dgram';
import net from 'node:net';
import pino from 'pino';
import type { DnsQuery } from '../../../../core/network/contract';
import { Rcode } from '../../../../plugins/net-ingress/dns/answer';
import { DnsServer, type DnsServerOptions } from '../../../../plugins/net-ingress/dns/dns-server';
import { FrameReader, frame } from '../../../../plugins/net-ingress/dns/upstream';

const HOST = '127.0.0.1';
const silent = pino({ level: 'silent' });

/** The names the kernel knows in these tests. */
const NAMES: Record<string, readonly string[]> = { web: ['10.0.1.3', '10.0.1.4'], idle: [] };

const query = (name: string, id = 7, type: 'A' | 'AAAA' = 'A'): Buffer =>
  encode({ id, type: 'query', flags: RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });

const rcodeOf = (packet: DecodedPacket): number => (packet.flags ?? 0) & 0xf;
const addrsOf = (packet: DecodedPacket): string[] => (packet.answers as StringAnswer[]).map((a) => a.data);

/** A UDP socket bound to `port` (any when 0) of 127.0.0.1; rejects, the socket closed, when it cannot be. */
const udpSocket = (port = 0): Promise<dgram.Socket> =>
  new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(port, HOST, () => resolve(socket));
  });

const closeUdp = (socket: dgram.Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));

/** Sends `message` over UDP from a new socket; the first datagram back, or `undefined` after `waitMs`. */
async function askUdp(port: number, message: Buffer, waitMs = 3000): Promise<Buffer | undefined> {
  const socket = await udpSocket();
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      socket.once('message', (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.send(message, port, HOST);
    });
  } finally {
    await closeUdp(socket);
  }
}

async function askUdpDecoded(port: number, message: Buffer): Promise<DecodedPacket> {
  const reply = await askUdp(port, message);
  if (!reply) throw new Error('no reply');
  return decode(reply);
}

/** A TCP connection to the server, reading its framed replies. */
async function tcpClient(port: number) {
  const socket = net.connect({ host: HOST, port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const reader = new FrameReader();
  const replies: DecodedPacket[] = [];
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk) => {
    replies.push(...reader.push(chunk).map((m) => decode(m)));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    closed,
    /** Waits until `count` replies arrived in all. */
    async replies(count: number): Promise<DecodedPacket[]> {
      while (replies.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return replies;
    },
  };
}

/** A fake upstream resolver on UDP: records what it gets, answers with `answer(query)` unless undefined. */
async function fakeUpstream(answer: (query: DecodedPacket) => Buffer | undefined) {
  const socket = await udpSocket();
  const received: Buffer[] = [];
  socket.on('message', (message, from) => {
    received.push(message);
    const reply = answer(decode(message));
    if (reply) socket.send(reply, from.port, from.address);
  });
  return { socket, received, addr: `${HOST}:${socket.address().port}` };
}

/** An upstream's answer to `q`: `addr` as A record, with the given flags. */
const upstreamAnswer = (q: DecodedPacket, addr: string, flags = 0): Buffer =>
  encode({
    id: q.id,
    type: 'response',
    flags: flags | RECURSION_DESIRED,
    questions: q.questions,
    answers: [{ type: 'A', name: q.questions?.[0].name ?? '', ttl: 300, data: addr }],
  });

/** A port nothing listens on (UDP). */
async function closedPort(): Promise<number> {
  const socket = await udpSocket();
  const { port } = socket.address();
  await closeUdp(socket);
  return port;
}

describe('DnsServer (loopback)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  const asked: DnsQuery[] = [];

  /** A server (not listening yet) on an ephemeral port of 127.0.0.1, closed after the test. */
  function serverOf(options: Partial<DnsServerOptions> = {}): DnsServer {
    const server = new DnsServer({
      host: HOST,
      port: 0,
      networkId: 'net1',
      resolve: (q) => {
        asked.push(q);
        return NAMES[q.name];
      },
      upstreams: [],
      log: silent,
      timeoutMs: 300,
      ...options,
    });
    cleanup.push(() => server.close());
    return server;
  }

  /** A listening {@link serverOf}. */
  async function start(options: Partial<DnsServerOptions> = {}): Promise<{ server: DnsServer; port: number }> {
    const server = serverOf(options);
    await server.listen();
    const port = server.port;
    if (port === undefined) throw new Error('no port after listen');
    return { server, port };
  }

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    asked.length = 0;
  });

  it('answers known names over UDP, asking resolve with the network and the client address', async () => {
    const { server, port } = await start();
    expect(port).toBeGreaterThan(0);
    const reply = await askUdpDecoded(port, query('web', 99));
    expect(reply.id).toBe(99);
    expect(rcodeOf(reply)).toBe(Rcode.NOERROR);
    expect(addrsOf(reply)).toEqual(['10.0.1.3', '10.0.1.4']);
    expect(asked).toEqual([{ networkId: 'net1', name: 'web', source: HOST }]);

    const aaaa = await askUdpDecoded(port, query('web', 100, 'AAAA'));
    expect(rcodeOf(aaaa)).toBe(Rcode.NOERROR);
    expect(aaaa.answers).toEqual([]);
    const nodata = await askUdpDecoded(port, query('idle', 101));
    expect(rcodeOf(nodata)).toBe(Rcode.NOERROR);
    expect(nodata.answers).toEqual([]);
    expect(server.stats()).toEqual({ local: 3, forwarded: 0, failed: 0, malformed: 0 });
  });

  it('answers several queries on one TCP connection, however the bytes are cut', async () => {
    const { server, port } = await start();
    const client = await tcpClient(port);
    cleanup.push(() => void client.socket.destroy());
    const stream = Buffer.concat([frame(query('web', 1)), frame(query('idle', 2)), frame(query('web', 3, 'AAAA'))]);
    client.socket.write(stream.subarray(0, 1));
    client.socket.write(stream.subarray(1, 20));
    client.socket.write(stream.subarray(20));
    const replies = await client.replies(3);
    const byId = new Map(replies.map((r) => [r.id, r]));
    expect(addrsOf(byId.get(1)!)).toEqual(['10.0.1.3', '10.0.1.4']);
    expect(byId.get(2)!.answers).toEqual([]);
    expect(byId.get(3)!.answers).toEqual([]);
    expect(server.stats().local).toBe(3);
  });

  it('truncates a large answer over UDP (TC set) and gives it whole over TCP', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `10.0.2.${i + 1}`);
    const { port } = await start({ resolve: (q) => (q.name === 'tasks.web' ? many : undefined) });
    const udp = await askUdp(port, query('tasks.web'));
    expect(udp!.length).toBeLessThanOrEqual(512);
    const cut = decode(udp!);
    expect(cut.flag_tc).toBe(true);
    expect(addrsOf(cut)).toEqual(many.slice(0, cut.answers!.length));
    expect(cut.answers!.length).toBeGreaterThan(0);

    const client = await tcpClient(port);
    cleanup.push(() => void client.socket.destroy());
    client.socket.write(frame(query('tasks.web')));
    const [whole] = await client.replies(1);
    expect(whole.flag_tc).toBe(false);
    expect(addrsOf(whole)).toEqual(many);
  });

  it('forwards unknown names unchanged and relays the upstream answer, over UDP and TCP', async () => {
    const upstream = await fakeUpstream((q) => upstreamAnswer(q, '93.184.216.34'));
    cleanup.push(() => closeUdp(upstream.socket));
    const { server, port } = await start({ upstreams: [upstream.addr] });

    const sent = query('google.com', 0xbeef);
    const reply = await askUdpDecoded(port, sent);
    expect(upstream.received).toEqual([sent]);
    expect(reply.id).toBe(0xbeef);
    expect(rcodeOf(reply)).toBe(Rcode.NOERROR);
    expect(addrsOf(reply)).toEqual(['93.184.216.34']);
    expect((reply.answers as StringAnswer[])[0].ttl).toBe(300);
    expect(asked.map((q) => q.name)).toEqual(['google.com']);

    const client = await tcpClient(port);
    cleanup.push(() => void client.socket.destroy());
    client.socket.write(frame(query('example.org', 0x1234)));
    const [overTcp] = await client.replies(1);
    expect(overTcp.id).toBe(0x1234);
    expect(addrsOf(overTcp)).toEqual(['93.184.216.34']);
    expect(server.stats()).toEqual({ local: 0, forwarded: 2, failed: 0, malformed: 0 });
  });

  it('forwards to another DnsServer as upstream', async () => {
    const { port: upstreamPort } = await start({ resolve: (q) => (q.name === 'google.com' ? ['142.250.1.1'] : undefined) });
    const { port } = await start({ upstreams: [`${HOST}:${upstreamPort}`] });
    const reply = await askUdpDecoded(port, query('google.com', 5));
    expect(reply.id).toBe(5);
    expect(addrsOf(reply)).toEqual(['142.250.1.1']);
  });

  it('asks a truncated answer again over TCP for a TCP client, and relays it truncated to a UDP client', async () => {
    const full = ['1.1.1.1', '2.2.2.2'];
    const tcpQueries: Buffer[] = [];
    const tcp = net.createServer((socket) => {
      const reader = new FrameReader();
      socket.on('data', (chunk) => {
        for (const message of reader.push(chunk)) {
          tcpQueries.push(message);
          const q = decode(message);
          const answers = full.map((data) => ({ type: 'A' as const, name: 'big.example', ttl: 60, data }));
          socket.write(frame(encode({ id: q.id, type: 'response', questions: q.questions, answers })));
        }
      });
    });
    // The upstream's UDP and TCP share a port: take UDP ports until TCP's is free too.
    let udp: Awaited<ReturnType<typeof fakeUpstream>> | undefined;
    while (!udp) {
      const candidate = await fakeUpstream((q) => upstreamAnswer(q, '1.1.1.1', TRUNCATED_RESPONSE));
      const listening = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(candidate.socket.address().port, HOST, () => resolve(true));
      });
      if (listening) udp = candidate;
      else await closeUdp(candidate.socket);
    }
    const upstream = udp;
    cleanup.push(() => closeUdp(upstream.socket));
    cleanup.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
    const { port } = await start({ upstreams: [upstream.addr] });

    const client = await tcpClient(port);
    cleanup.push(() => void client.socket.destroy());
    client.socket.write(frame(query('big.example', 21)));
    const [overTcp] = await client.replies(1);
    expect(overTcp.flag_tc).toBe(false);
    expect(addrsOf(overTcp)).toEqual(full);
    expect(tcpQueries).toEqual([query('big.example', 21)]);

    const overUdp = await askUdpDecoded(port, query('big.example', 22));
    expect(overUdp.flag_tc).toBe(true);
    expect(addrsOf(overUdp)).toEqual(['1.1.1.1']);
    expect(tcpQueries).toHaveLength(1);
  });

  it('tries the next upstream when one refuses the port, stays silent or answers SERVFAIL', async () => {
    const silentOne = await fakeUpstream(() => undefined);
    const failing = await fakeUpstream((q) => encode({ id: q.id, type: 'response', flags: Rcode.SERVFAIL, questions: q.questions }));
    const good = await fakeUpstream((q) => upstreamAnswer(q, '9.9.9.9'));
    for (const u of [silentOne, failing, good]) cleanup.push(() => closeUdp(u.socket));
    const refused = `${HOST}:${await closedPort()}`;
    const { server, port } = await start({ upstreams: [refused, silentOne.addr, failing.addr, good.addr], timeoutMs: 200 });

    const began = Date.now();
    const reply = await askUdpDecoded(port, query('google.com'));
    expect(addrsOf(reply)).toEqual(['9.9.9.9']);
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect([silentOne, failing, good].map((u) => u.received.length)).toEqual([1, 1, 1]);
    expect(server.stats().forwarded).toBe(1);
  });

  it('answers SERVFAIL when every upstream times out, or when there is none', async () => {
    const silentOne = await fakeUpstream(() => undefined);
    cleanup.push(() => closeUdp(silentOne.socket));
    const { server, port } = await start({ upstreams: [silentOne.addr], timeoutMs: 200 });
    const began = Date.now();
    const reply = await askUdpDecoded(port, query('google.com', 31));
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect(reply.id).toBe(31);
    expect(rcodeOf(reply)).toBe(Rcode.SERVFAIL);
    expect(reply.questions).toEqual([{ name: 'google.com', type: 'A', class: 'IN' }]);
    expect(server.stats()).toEqual({ local: 0, forwarded: 0, failed: 1, malformed: 0 });

    const { port: lonely } = await start({ upstreams: [] });
    expect(rcodeOf(await askUdpDecoded(lonely, query('google.com')))).toBe(Rcode.SERVFAIL);
  });

  it('reads its upstreams from resolv.conf once, and goes on without when it cannot', async () => {
    let reads = 0;
    const { port } = await start({
      upstreams: undefined,
      readResolvConf: () => {
        reads += 1;
        return Promise.reject(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }));
      },
    });
    expect(rcodeOf(await askUdpDecoded(port, query('google.com')))).toBe(Rcode.SERVFAIL);
    expect(addrsOf(await askUdpDecoded(port, query('web')))).toEqual(['10.0.1.3', '10.0.1.4']);
    expect(reads).toBe(1);
  });

  it('drops malformed datagrams and responses, and answers after them', async () => {
    const { server, port } = await start();
    expect(await askUdp(port, Buffer.from([1, 2, 3]), 200)).toBeUndefined();
    // A header announcing one question that is not there.
    expect(await askUdp(port, Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), 200)).toBeUndefined();
    const response = encode({ id: 3, type: 'response', questions: [{ type: 'A', name: 'web', class: 'IN' }] });
    expect(await askUdp(port, response, 200)).toBeUndefined();
    expect(addrsOf(await askUdpDecoded(port, query('web')))).toEqual(['10.0.1.3', '10.0.1.4']);
    expect(server.stats()).toEqual({ local: 1, forwarded: 0, failed: 0, malformed: 3 });
  });

  it('closes a TCP connection that sends a malformed message, and serves others', async () => {
    const { server, port } = await start();
    const bad = await tcpClient(port);
    cleanup.push(() => void bad.socket.destroy());
    bad.socket.write(frame(Buffer.from('not dns')));
    await bad.closed;
    const good = await tcpClient(port);
    cleanup.push(() => void good.socket.destroy());
    good.socket.write(frame(query('web', 8)));
    const [reply] = await good.replies(1);
    expect(addrsOf(reply)).toEqual(['10.0.1.3', '10.0.1.4']);
    expect(server.stats().malformed).toBe(1);
  });

  it('answers SERVFAIL when resolve throws, and goes on', async () => {
    const { server, port } = await start({
      resolve: (q) => {
        if (q.name === 'bad') throw new Error('kernel bug');
        return NAMES[q.name];
      },
    });
    expect(rcodeOf(await askUdpDecoded(port, query('bad')))).toBe(Rcode.SERVFAIL);
    expect(addrsOf(await askUdpDecoded(port, query('web')))).toEqual(['10.0.1.3', '10.0.1.4']);
    expect(server.stats()).toEqual({ local: 1, forwarded: 0, failed: 1, malformed: 0 });
  });

  it('rejects with EADDRINUSE when the port is taken, for UDP or TCP alone, leaving nothing bound', async () => {
    const { port } = await start();
    const second = serverOf({ port });
    await expect(second.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });

    // TCP taken, UDP free: UDP binds, then must be released when TCP fails.
    const tcp = net.createServer();
    await new Promise<void>((resolve) => tcp.listen(0, HOST, resolve));
    cleanup.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
    const tcpPort = (tcp.address() as net.AddressInfo).port;
    const third = serverOf({ port: tcpPort });
    await expect(third.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await closeUdp(await udpSocket(tcpPort));
  });

  it('rejects with EADDRNOTAVAIL on an address that is not local', async () => {
    const server = serverOf({ host: '192.0.2.1' });
    await expect(server.listen()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });

  it('refuses an upstream that is no ip[:port]', () => {
    expect(
      () => new DnsServer({ host: HOST, networkId: 'net1', resolve: () => undefined, upstreams: ['dns.example.com'], log: silent }),
    ).toThrow('dns.example.com');
  });

  it('closes its TCP connections and ends the forwards in flight when closed', async () => {
    const silentOne = await fakeUpstream(() => undefined);
    cleanup.push(() => closeUdp(silentOne.socket));
    const { server, port } = await start({ upstreams: [silentOne.addr], timeoutMs: 60_000 });
    const client = await tcpClient(port);
    cleanup.push(() => void client.socket.destroy());
    client.socket.write(frame(query('google.com')));
    while (silentOne.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    const began = Date.now();
    await server.close();
    await client.closed;
    expect(Date.now() - began).toBeLessThan(1000);
    expect(server.stats()).toEqual({ local: 0, forwarded: 0, failed: 0, malformed: 0 });
    // Both ports are free again.
    await serverOf({ port }).listen();
  });
});
