import { readUpdateFlags } from '../../../cli/update-groups';
import { parsePortSelector, portChanges } from '../../../cli/update-groups/ports';
import { UsageError } from '../../../cli/errors';
import { run } from '../../../cli/program';
import type { PortConfig, Service } from '../../../core/model/types';
import { FakeDaemon, fakeEnv, makeService } from './fixtures';

const port = (targetPort: number, publishedPort = 0, o: Partial<PortConfig> = {}): PortConfig => ({ protocol: 'tcp', targetPort, publishedPort, publishMode: 'ingress', ...o });

/** `web` publishing 80 (allocated 30000), 8080:81 and 5353:53/udp. */
function web(): Service {
  const s = makeService('web', { ports: [port(80), port(81, 8080), port(53, 5353, { protocol: 'udp' })] });
  return { ...s, meta: { ...s.meta, version: 7 }, endpoint: { ports: [port(80, 30000), port(81, 8080), port(53, 5353, { protocol: 'udp' })] } };
}

/** The ports of web's spec after the flags. */
const portsAfter = (flags: { publishAdd?: string[]; publishRm?: string[] }) => {
  const s = web();
  return readUpdateFlags(flags)(s.spec, s).endpoint.ports;
};

describe('parsePortSelector', () => {
  it.each([
    ['8080', { protocol: 'tcp', publishedPort: 8080 }],
    ['5353/udp', { protocol: 'udp', publishedPort: 5353 }],
    ['8080:81', { protocol: 'tcp', publishedPort: 8080, targetPort: 81 }],
    ['target=80', { protocol: 'tcp', targetPort: 80 }],
    ['published=5353,target=53,protocol=udp', { protocol: 'udp', publishedPort: 5353, targetPort: 53 }],
  ])('%s', (text, expected) => expect(parsePortSelector(text)).toEqual({ text, ...expected }));

  it.each([
    ['http', 'invalid --publish-rm: published port "http" is not a number'],
    ['99999', 'invalid --publish-rm: published port 99999 is out of range'],
    ['80/sctp', 'invalid --publish-rm: protocol "sctp" is not supported'],
    ['published=80', 'invalid --publish-rm: "published=80" has no target port'],
  ])('refuses %j', (text, message) => expect(() => parsePortSelector(text)).toThrow(message));
});

describe('service update port flags', () => {
  it('removes by published port (allocated ones too) and protocol, tcp by default', () => {
    expect(portsAfter({ publishRm: ['8080'] })).toEqual([port(80), port(53, 5353, { protocol: 'udp' })]);
    expect(portsAfter({ publishRm: ['30000', '5353/udp'] })).toEqual([port(81, 8080)]);
  });

  it('removes by full spec, or by target', () => {
    expect(portsAfter({ publishRm: ['8080:81'] })).toEqual([port(80), port(53, 5353, { protocol: 'udp' })]);
    expect(portsAfter({ publishRm: ['target=80'] })).toEqual([port(81, 8080), port(53, 5353, { protocol: 'udp' })]);
  });

  it('adds ports after removing, skipping ones already published', () => {
    expect(portsAfter({ publishRm: ['8080'], publishAdd: ['8080:82', '80', 'mode=host,9000:90'] })).toEqual([
      port(80),
      port(53, 5353, { protocol: 'udp' }),
      port(82, 8080),
      port(90, 9000, { publishMode: 'host' }),
    ]);
  });

  it('refuses a --publish-rm that matches nothing, and bad --publish-add values, naming the flag', () => {
    const s = web();
    for (const text of ['5353', '8080/udp', '8080:80', 'target=81,protocol=udp']) {
      const change = portChanges({ publishRm: [text] });
      expect(() => change(s.spec, s)).toThrow(UsageError);
      expect(() => change(s.spec, s)).toThrow(`invalid --publish-rm: "${text}" matches no port service web publishes`);
    }
    expect(() => portChanges({ publishAdd: ['80:0'] })).toThrow('invalid --publish-add: target port 0 is out of range');
  });

  it('leaves the spec as it is without flags', () => {
    const s = web();
    expect(readUpdateFlags({})(s.spec, s)).toEqual(s.spec);
  });
});

describe('orch service update', () => {
  async function orch(argv: string[], daemon: FakeDaemon) {
    const f = fakeEnv(daemon);
    const code = await run(argv, f.env);
    return { code, out: f.stdout(), err: f.stderr() };
  }

  it('reads the service, sends the changed spec with the version read, and prints the service', async () => {
    const current = web();
    const daemon = new FakeDaemon({ ServiceInspect: () => ({ service: current }), ServiceUpdate: () => ({ service: current }) });
    const r = await orch(['service', 'update', '--publish-rm', '8080', '--publish-add', '9090:91', '--detach', 'web'], daemon);
    expect(r).toMatchObject({ code: 0, out: 'web\n', err: '' });
    expect(daemon.calls.map((c) => c.method)).toEqual(['ServiceInspect', 'ServiceUpdate']);
    expect(daemon.calls[1].req).toEqual({
      ref: current.id,
      version: 7,
      spec: { ...current.spec, endpoint: { ports: [port(80), port(53, 5353, { protocol: 'udp' }), port(91, 9090)] } },
    });
  });

  it('refuses bad flags before calling the daemon, and an unmatched --publish-rm before updating (exit 2)', async () => {
    const daemon = new FakeDaemon({ ServiceInspect: () => ({ service: web() }) });
    const bad = await orch(['service', 'update', '--publish-add', 'x', 'web'], daemon);
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('Error: invalid --publish-add: target port "x" is not a number') });
    expect(daemon.calls).toEqual([]);
    const unmatched = await orch(['service', 'update', '--publish-rm', '1234', 'web'], daemon);
    expect(unmatched).toMatchObject({ code: 2, err: 'Error: invalid --publish-rm: "1234" matches no port service web publishes\n' });
    expect(daemon.calls.map((c) => c.method)).toEqual(['ServiceInspect']);
  });

  it('service rollback and update --rollback call ServiceRollback; --rollback refuses flags that change the spec', async () => {
    const daemon = new FakeDaemon({ ServiceRollback: () => ({ service: web() }) });
    expect(await orch(['service', 'rollback', '-d', 'web'], daemon)).toMatchObject({ code: 0, out: 'web\n' });
    expect(await orch(['service', 'update', '--rollback', '--detach', 'web'], daemon)).toMatchObject({ code: 0, out: 'web\n' });
    expect(daemon.calls).toEqual([
      { method: 'ServiceRollback', req: { ref: 'web' } },
      { method: 'ServiceRollback', req: { ref: 'web' } },
    ]);
    const mixed = await orch(['service', 'update', '--rollback', '--image', 'x', 'web'], daemon);
    expect(mixed).toMatchObject({ code: 2, err: 'Error: invalid --rollback: cannot be combined with flags that change the spec\n' });
    expect(daemon.calls).toHaveLength(2);
  });
});
