import type { NetworkInterfaceInfo } from 'node:os';
import { advertiseAddress, defaultAdvertiseIp, listenAddress, type Interfaces } from '../../../cli/addresses';
import { resolveDataDir } from '../../../cli/data-dir';
import { filterValues, parseFilters } from '../../../cli/filters';
import { parseKeyValue, parseLabels } from '../../../cli/key-value';
import { randomServiceName } from '../../../cli/names';
import { splitShellWords } from '../../../cli/shell-words';
import { parseScaleTarget } from '../../../cli/commands/service/scale';

const iface = (address: string, internal = false, family: 'IPv4' | 'IPv6' = 'IPv4') =>
  ({ address, internal, family, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

const interfaces: Interfaces = {
  lo: [iface('127.0.0.1', true)],
  eth0: [iface('fe80::1', false, 'IPv6'), iface('10.1.2.3')],
};

describe('addresses', () => {
  it('defaults the advertise address to the first non-internal IPv4 address, else loopback', () => {
    expect(defaultAdvertiseIp(interfaces)).toBe('10.1.2.3');
    expect(defaultAdvertiseIp({ lo: interfaces.lo })).toBe('127.0.0.1');
    expect(advertiseAddress(undefined, interfaces)).toBe('10.1.2.3');
  });

  it.each([
    ['192.168.1.5', '192.168.1.5'],
    ['192.168.1.5:2377', '192.168.1.5:2377'],
    ['::1', '::1'],
    ['[::1]:4000', '[::1]:4000'],
    ['eth0', '10.1.2.3'],
    ['eth0:2378', '10.1.2.3:2378'],
  ])('takes --advertise-addr %s', (flag, addr) => expect(advertiseAddress(flag, interfaces)).toBe(addr));

  it.each([
    ['example.com', 'invalid --advertise-addr: expected an IP address or IP:PORT (or an interface name), got "example.com"'],
    ['1.2.3.4:0', 'invalid --advertise-addr: port "0" is out of range (expected 1-65535)'],
    ['1.2.3.4:70000', 'invalid --advertise-addr: port "70000" is out of range'],
    ['1.2.3.4:', 'invalid --advertise-addr: port "" is out of range'],
    ['[1.2.3.4]:80', 'invalid --advertise-addr: expected an IP address'],
    ['wlan9', 'invalid --advertise-addr: expected an IP address'],
  ])('refuses --advertise-addr %s', (flag, message) => expect(() => advertiseAddress(flag, interfaces)).toThrow(message));

  it('defaults the listen address to 0.0.0.0:2377 and its port to 2377', () => {
    expect(listenAddress(undefined)).toBe('0.0.0.0:2377');
    expect(listenAddress('127.0.0.1')).toBe('127.0.0.1:2377');
    expect(listenAddress('127.0.0.1:4000')).toBe('127.0.0.1:4000');
    expect(listenAddress('[::]:4000')).toBe('[::]:4000');
  });

  it('refuses a listen address that is no IP, naming --listen-addr', () => {
    expect(() => listenAddress('eth0')).toThrow('invalid --listen-addr: expected an IP address or IP:PORT, got "eth0"');
    expect(() => listenAddress('0.0.0.0:99999')).toThrow('invalid --listen-addr: port "99999" is out of range');
  });
});

describe('resolveDataDir', () => {
  const base = { isRoot: false, home: '/home/u', cwd: '/work' };

  it('prefers --data-dir, then ORCH_DATA_DIR, then /var/lib/orch as root, then ~/.orch', () => {
    expect(resolveDataDir({ ...base, flag: '/a', envVar: '/b' })).toBe('/a');
    expect(resolveDataDir({ ...base, envVar: '/b' })).toBe('/b');
    expect(resolveDataDir({ ...base, envVar: '', isRoot: true })).toBe('/var/lib/orch');
    expect(resolveDataDir(base)).toBe('/home/u/.orch');
  });

  it('resolves relative paths against the working directory', () => {
    expect(resolveDataDir({ ...base, flag: 'n1' })).toBe('/work/n1');
  });

  it('refuses an empty --data-dir', () => {
    expect(() => resolveDataDir({ ...base, flag: '' })).toThrow('invalid --data-dir: must not be empty');
  });
});

describe('key-value and filters', () => {
  it('splits at the first =', () => {
    expect(parseKeyValue('a=b=c', '--env')).toEqual({ key: 'a', value: 'b=c' });
    expect(parseKeyValue('a', '--env')).toEqual({ key: 'a' });
    expect(() => parseKeyValue('=x', '--env')).toThrow('invalid --env: "=x" is not KEY=VALUE: the key is empty');
  });

  it('reads labels, a bare key meaning an empty value', () => {
    expect(parseLabels(['zone=a', 'ssd', 'zone=b'], '--label')).toEqual({ zone: 'b', ssd: '' });
  });

  it('groups filters by key', () => {
    expect(parseFilters(['name=web', 'mode=global', 'name=db'], ['name', 'id', 'mode'])).toEqual({ name: ['web', 'db'], mode: ['global'] });
  });

  it('refuses unknown keys and entries without a value, naming --filter', () => {
    expect(() => parseFilters(['label=x'], ['name', 'id'])).toThrow('invalid --filter: unknown key "label": expected one of name, id');
    expect(() => parseFilters(['name'], ['name'])).toThrow('invalid --filter: "name" is not KEY=VALUE');
  });

  it('checks filter values', () => {
    expect(filterValues(['global'], 'mode', ['replicated', 'global'])).toEqual(['global']);
    expect(filterValues(undefined, 'mode', ['replicated', 'global'])).toBeUndefined();
    expect(() => filterValues(['job'], 'mode', ['replicated', 'global'])).toThrow('invalid --filter: mode must be one of replicated, global, got "job"');
  });
});

describe('splitShellWords', () => {
  it.each([
    ['sh -c', ['sh', '-c']],
    ['  a   b  ', ['a', 'b']],
    [`sh -c 'echo hi there'`, ['sh', '-c', 'echo hi there']],
    [`echo "a \\"b\\" c"`, ['echo', 'a "b" c']],
    [`a\\ b`, ['a b']],
    [`x''`, ['x']],
    [`''`, ['']],
    ['', []],
  ])('%s', (text, words) => expect(splitShellWords(text)).toEqual(words));

  it('refuses unterminated quotes and a trailing backslash', () => {
    expect(() => splitShellWords(`sh -c 'x`)).toThrow('unterminated single quote');
    expect(() => splitShellWords(`"x`)).toThrow('unterminated double quote');
    expect(() => splitShellWords(`x\\`)).toThrow('trailing backslash');
  });
});

describe('randomServiceName', () => {
  it('makes an adjective_noun name that the spec check accepts', () => {
    expect(randomServiceName(() => 0)).toBe('admiring_babbage');
    expect(randomServiceName(() => 0.999)).toBe('vibrant_wozniak');
    expect(randomServiceName()).toMatch(/^[a-z]+_[a-z]+$/);
  });
});

describe('parseScaleTarget', () => {
  it('reads SERVICE=REPLICAS', () => {
    expect(parseScaleTarget('web=5')).toEqual({ ref: 'web', replicas: 5 });
    expect(parseScaleTarget('web=0')).toEqual({ ref: 'web', replicas: 0 });
  });

  it.each([
    ['web', 'invalid argument "web": expected SERVICE=REPLICAS'],
    ['=3', 'invalid argument "=3": expected SERVICE=REPLICAS'],
    ['web=x', 'invalid argument "web=x": expected a non-negative integer, got "x"'],
    ['web=-1', 'invalid argument "web=-1": expected a non-negative integer, got "-1"'],
  ])('refuses %s', (text, message) => expect(() => parseScaleTarget(text)).toThrow(message));
});
