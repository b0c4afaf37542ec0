import { FrameReader, frame, parseUpstream } from '../../../../plugins/net-ingress/dns/upstream';

describe('parseUpstream', () => {
  it.each([
    ['10.0.0.2', { host: '10.0.0.2', port: 53 }],
    ['10.0.0.2:5353', { host: '10.0.0.2', port: 5353 }],
    ['2001:db8::53', { host: '2001:db8::53', port: 53 }],
    ['fe80::1%eth0', { host: 'fe80::1%eth0', port: 53 }],
    ['[2001:db8::53]', { host: '2001:db8::53', port: 53 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
  ])('reads %s', (text, upstream) => {
    expect(parseUpstream(text)).toEqual(upstream);
  });

  it.each(['dns.example.com', 'dns.example.com:53', '10.0.0.2:0', '10.0.0.2:65536', '10.0.0.2:', '[10.0.0.2', '', '::1]:53'])(
    'refuses %j',
    (text) => {
      expect(parseUpstream(text)).toBeUndefined();
    },
  );
});

describe('FrameReader', () => {
  it('splits a stream into messages however it is cut', () => {
    const messages = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(300, 7)];
    const stream = Buffer.concat(messages.map(frame));
    for (const size of [1, 2, 3, 7, stream.length]) {
      const reader = new FrameReader();
      const read: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) read.push(...reader.push(stream.subarray(at, at + size)));
      expect(read).toEqual(messages);
    }
  });

  it('prefixes a message with its length', () => {
    expect(frame(Buffer.from('abc'))).toEqual(Buffer.from([0, 3, 0x61, 0x62, 0x63]));
  });
});
