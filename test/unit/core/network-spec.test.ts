import { parseNetworkSpec } from '../../../core/model/network-spec';

/** The error `parseNetworkSpec(input)` throws. */
function refusal(input: unknown): { code?: string; field?: string; message: string } {
  try {
    parseNetworkSpec(input);
  } catch (err) {
    return err as { code?: string; field?: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('network spec validation', () => {
  it('fills the defaults: overlay, no labels, not attachable; subnet and options only when given', () => {
    expect(parseNetworkSpec({ name: 'front' })).toStrictEqual({ name: 'front', driver: 'overlay', labels: {}, attachable: false });
  });

  it('keeps what is given', () => {
    const spec = { name: 'back.end-1', driver: 'my_driver.v2', labels: { team: 'a' }, attachable: true, subnet: '10.20.0.0/16', options: { mtu: '1400' } };
    expect(parseNetworkSpec(spec)).toStrictEqual(spec);
  });

  it.each(['10.0.0.0/8', '192.168.7.8/29', '172.16.0.0/12'])('accepts the subnet %s', (subnet) => {
    expect(parseNetworkSpec({ name: 'n', subnet }).subnet).toBe(subnet);
  });

  it.each([
    [{ name: 'bad name' }, 'name', /not a valid network name: expected 1-63 letters/],
    [{ name: '-x' }, 'name', /not a valid network name/],
    [{}, 'name', /expected a string/],
    [{ name: 'n', driver: '' }, 'driver', /not a driver name/],
    [{ name: 'n', driver: 'Overlay' }, 'driver', /lower-case letters/],
    [{ name: 'n', attachable: 'yes' }, 'attachable', /expected true or false, got "yes"/],
    [{ name: 'n', labels: { a: 1 } }, 'labels.a', /expected a string/],
    [{ name: 'n', options: [] }, 'options', /expected an object/],
    [{ name: 'n', subnet: '10.0.0.1/24' }, 'subnet', /"10.0.0.1\/24" is not a subnet: expected an IPv4 subnet in CIDR form.*no host bits/],
    [{ name: 'n', subnet: '10.0.0.0' }, 'subnet', /is not a subnet/],
    [{ name: 'n', subnet: '300.0.0.0/8' }, 'subnet', /is not a subnet/],
    [{ name: 'n', subnet: '10.0.0.0/30' }, 'subnet', /has a \/30 prefix: expected a prefix from \/8 to \/29/],
    [{ name: 'n', subnet: '10.0.0.0/7' }, 'subnet', /has a \/7 prefix/],
    [{ name: 'n', scope: 'local' }, 'scope', /unknown field \(expected one of name, driver, labels, attachable, subnet, options\)/],
  ])('refuses bad input naming the field (%#)', (input, field, message) => {
    const err = refusal(input);
    expect(err).toMatchObject({ code: 'invalid', field });
    expect(err.message).toMatch(message);
    expect(err.message).toContain(field);
  });
});
