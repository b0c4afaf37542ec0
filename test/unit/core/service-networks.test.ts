import { parseServiceSpec } from '../../../core/model/service-spec';

const minimal = { name: 'web', task: { container: { image: 'orch-test/busybox' } } };

/** The error `parseServiceSpec(input)` throws. */
function refusal(input: unknown): { code?: string; field?: string; message: string } {
  try {
    parseServiceSpec(input);
  } catch (err) {
    return err as { code?: string; field?: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('service spec: networks and endpoint mode', () => {
  it('adds networks only when some are given, and the endpoint mode only when it is not vip', () => {
    const spec = parseServiceSpec(minimal);
    expect(spec).not.toHaveProperty('networks');
    expect(spec.endpoint).toStrictEqual({ ports: [] });
    expect(parseServiceSpec({ ...minimal, networks: [] })).not.toHaveProperty('networks');
    expect(parseServiceSpec({ ...minimal, endpoint: { mode: 'vip' } }).endpoint).toStrictEqual({ ports: [] });
    expect(parseServiceSpec({ ...minimal, endpoint: { mode: 'dnsrr' } }).endpoint).toStrictEqual({ mode: 'dnsrr', ports: [] });
  });

  it('reads network attachments in order, with their aliases', () => {
    const spec = parseServiceSpec({ ...minimal, networks: [{ target: 'front', aliases: ['www', 'web.local'] }, { target: 'back', aliases: [] }] });
    expect(spec.networks).toStrictEqual([{ target: 'front', aliases: ['www', 'web.local'] }, { target: 'back' }]);
  });

  it('lets dnsrr publish host-mode ports', () => {
    const ports = [{ targetPort: 80, publishedPort: 8080, publishMode: 'host' }];
    expect(parseServiceSpec({ ...minimal, endpoint: { mode: 'dnsrr', ports } }).endpoint.mode).toBe('dnsrr');
  });

  it.each([
    [{ ...minimal, networks: ['front'] }, 'networks[0]', /expected an object such as \{"target": "front"\}, got a bare string/],
    [{ ...minimal, networks: [{ target: '' }] }, 'networks[0].target', /must not be empty/],
    [{ ...minimal, networks: [{ name: 'front' }] }, 'networks[0].name', /unknown field/],
    [{ ...minimal, networks: [{ target: 'a', aliases: ['bad alias'] }] }, 'networks[0].aliases[0]', /not a valid alias/],
    [{ ...minimal, networks: [{ target: 'a' }, { target: 'b' }, { target: 'a' }] }, 'networks[2].target', /"a" names the same network as networks\[0\]/],
    [{ ...minimal, networks: { target: 'a' } }, 'networks', /expected an array/],
    [{ ...minimal, endpoint: { mode: 'rr' } }, 'endpoint.mode', /expected one of vip, dnsrr, got "rr"/],
    [{ ...minimal, endpoint: { mode: 'dnsrr', ports: [{ targetPort: 80 }] } }, 'endpoint.mode', /dnsrr cannot be used with a port published in ingress mode \(endpoint.ports\[0\]\)/],
    [{ ...minimal, endpoint: { ports: [], weight: 1 } }, 'endpoint.weight', /unknown field \(expected one of mode, ports\)/],
  ])('refuses bad input naming the field (%#)', (input, field, message) => {
    const err = refusal(input);
    expect(err).toMatchObject({ code: 'invalid', field });
    expect(err.message).toMatch(message);
  });
});
