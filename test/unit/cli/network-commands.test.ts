import { run } from '../../../cli/program';
import { NotFoundError, OrchError } from '../../../core/errors';
import type { Network } from '../../../core/model/types';
import { FakeDaemon, fakeEnv } from './fixtures';

const network = (name: string, o: Partial<Network['spec']> = {}, subnet = '10.0.1.0/24'): Network => ({
  id: `${name}0123456789abcdefghijklmn`.slice(0, 25),
  meta: { version: 3, createdAt: '2024-05-01T12:00:00.000Z', updatedAt: '2024-05-01T12:00:00.000Z' },
  spec: { name, driver: 'overlay', labels: {}, attachable: false, ...o },
  subnet,
  gateway: subnet.replace(/0\/\d+$/, '1'),
});

async function orch(argv: string[], daemon: FakeDaemon) {
  const f = fakeEnv(daemon);
  const code = await run(argv, f.env);
  return { code, out: f.stdout(), err: f.stderr() };
}

describe('orch network', () => {
  it('create sends the spec and prints the id', async () => {
    const daemon = new FakeDaemon({ NetworkCreate: ({ spec }) => ({ network: network(spec.name) }) });
    const r = await orch(['network', 'create', '--subnet', '10.9.0.0/16', '--attachable', '--label', 'a=b', '--opt', 'mtu=1400', 'front'], daemon);
    expect(r).toMatchObject({ code: 0, out: `${network('front').id}\n` });
    expect(daemon.calls[0].req).toEqual({ spec: { name: 'front', driver: 'overlay', labels: { a: 'b' }, attachable: true, subnet: '10.9.0.0/16', options: { mtu: '1400' } } });
  });

  it('create refuses a bad subnet with exit 2, calling nothing', async () => {
    const daemon = new FakeDaemon({});
    const r = await orch(['network', 'create', '--subnet', '10.9.0.0', 'front'], daemon);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('Error: invalid --subnet: "10.9.0.0" is not a subnet') });
    expect(daemon.calls).toEqual([]);
  });

  it('create prints the daemon\'s refusal with exit 1', async () => {
    const daemon = new FakeDaemon({
      NetworkCreate: () => {
        throw new OrchError('conflict', 'a network named "front" already exists', 'name');
      },
    });
    expect(await orch(['network', 'create', 'front'], daemon)).toMatchObject({ code: 1, err: 'Error: a network named "front" already exists\n' });
  });

  it('ls prints a table, ids with -q, JSON lines with --format json, and passes the filters', async () => {
    const nets = [network('back', { driver: 'bridge' }, '10.0.2.0/24'), network('front')];
    const daemon = new FakeDaemon({ NetworkList: () => ({ networks: nets }) });
    const table = await orch(['network', 'ls', '--filter', 'driver=overlay', '--filter', 'name=f'], daemon);
    expect(table.out).toBe(
      [
        'NETWORK ID     NAME      DRIVER    SCOPE     SUBNET',
        'back01234567   back      bridge    swarm     10.0.2.0/24',
        'front0123456   front     overlay   swarm     10.0.1.0/24',
        '',
      ].join('\n'),
    );
    expect(daemon.calls[0].req).toEqual({ filters: { driver: ['overlay'], name: ['f'] } });
    expect((await orch(['network', 'ls', '--format', 'table'], daemon)).out).toBe(table.out);
    expect((await orch(['network', 'ls', '-q'], daemon)).out).toBe(`${nets[0].id}\n${nets[1].id}\n`);
    expect((await orch(['network', 'ls', '--format', 'json'], daemon)).out.split('\n')[1]).toBe('{"ID":"front0123456","Name":"front","Driver":"overlay","Scope":"swarm","Subnet":"10.0.1.0/24"}');
    expect(await orch(['network', 'ls', '--filter', 'scope=swarm'], daemon)).toMatchObject({ code: 2, err: expect.stringContaining('invalid --filter: unknown key "scope"') });
  });

  it('inspect prints a JSON array with the attached services, reporting refs it cannot find', async () => {
    const daemon = new FakeDaemon({
      NetworkInspect: ({ ref }) => {
        if (ref !== 'front') throw new NotFoundError('network', ref);
        return { network: network('front'), services: ['s1'] };
      },
    });
    const r = await orch(['network', 'inspect', 'front', 'nope'], daemon);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual([{ ...network('front'), services: ['s1'] }]);
    expect(r.err).toBe('Error: network nope not found\n');
  });

  it('rm removes each network, printing it, and exits 1 after trying all when one fails', async () => {
    const daemon = new FakeDaemon({
      NetworkRemove: ({ ref }) => {
        if (ref === 'front') throw new OrchError('conflict', 'network front is in use by service(s) web');
        return { id: `id-${ref}` };
      },
    });
    const r = await orch(['network', 'rm', 'front', 'back'], daemon);
    expect(r).toEqual({ code: 1, out: 'back\n', err: 'Error: network front is in use by service(s) web\n' });
    expect(daemon.calls.map((c) => c.req)).toEqual([{ ref: 'front' }, { ref: 'back' }]);
  });
});
