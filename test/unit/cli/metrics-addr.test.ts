import { metricsAddress } from '../../../cli/addresses';
import { run } from '../../../cli/program';
import { FakeDaemon, fakeEnv } from './fixtures';

describe('--metrics-addr', () => {
  it.each([
    [undefined, undefined],
    ['127.0.0.1:9323', '127.0.0.1:9323'],
    ['0.0.0.0:9323', '0.0.0.0:9323'],
    ['[::1]:9323', '[::1]:9323'],
  ])('takes %s', (flag, addr) => expect(metricsAddress(flag)).toBe(addr));

  it.each([
    ['127.0.0.1', 'invalid --metrics-addr: expected IP:PORT (such as 127.0.0.1:9323), got "127.0.0.1"'],
    ['localhost:9323', 'invalid --metrics-addr: expected an IP address or IP:PORT, got "localhost:9323"'],
    ['127.0.0.1:0', 'invalid --metrics-addr: port "0" is out of range (expected 1-65535)'],
    ['eth0:9323', 'invalid --metrics-addr: expected an IP address or IP:PORT'],
  ])('refuses %s', (flag, message) => expect(() => metricsAddress(flag)).toThrow(message));

  it.each([
    [['swarm', 'init', '--metrics-addr', '127.0.0.1']],
    [['swarm', 'join', '--token', 't', '--metrics-addr', 'nope:1', '127.0.0.1:2377']],
    [['daemon', '--metrics-addr', '127.0.0.1:99999']],
  ])('is checked by orch %j before anything starts (exit 2)', async (argv) => {
    const daemon = new FakeDaemon({});
    const f = fakeEnv(daemon);
    expect(await run(argv, f.env)).toBe(2);
    expect(f.stderr()).toMatch(/^Error: invalid --metrics-addr: /);
    expect(daemon.calls).toEqual([]);
  });
});
