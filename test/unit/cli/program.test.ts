import type { ServiceSpec } from '../../../core/model/types';
import { NotFoundError, OrchError } from '../../../core/errors';
import { unreachable } from '../../../cli/connection';
import { run } from '../../../cli/program';
import { VERSION } from '../../../cli/version';
import { FakeDaemon, fakeEnv, makeNode, makeService, makeTask } from './fixtures';

/** Runs `orch <argv>` against `daemon`; returns the exit code and the captured output. */
async function orch(argv: string[], daemon = new FakeDaemon({}), o: Parameters<typeof fakeEnv>[1] = {}) {
  const f = fakeEnv(daemon, o);
  const code = await run(argv, f.env);
  return { code, out: f.stdout(), err: f.stderr(), sockets: f.sockets, daemon };
}

describe('usage errors: exit 2, nothing sent to the daemon', () => {
  it.each([
    [['service', 'create', '--replicas', 'abc', 'x'], 'Error: invalid --replicas: expected a non-negative integer, got "abc"'],
    [['service', 'create', '--replicas', '-1', 'x'], 'Error: invalid --replicas: expected a non-negative integer, got "-1"'],
    [['service', 'create', '--publish', '99999:80', 'x'], 'Error: invalid --publish: published port 99999 is out of range (expected 1-65535)'],
    [['service', 'create', '--constraint', 'node.labels.x~y', 'x'], 'Error: invalid --constraint: "node.labels.x~y" is not a constraint: expected KEY==VALUE or KEY!=VALUE'],
    [['service', 'create', '--limit-memory', '12q', 'x'], 'Error: invalid --limit-memory: expected a size'],
    [['service', 'create', '--restart-delay', '5', 'x'], 'Error: invalid --restart-delay: expected a duration'],
    [['service', 'create', '--bogus', 'x'], "Error: unknown option '--bogus'"],
    [['service', 'create'], "Error: missing required argument 'image'"],
    [['service', 'ls', '--format', 'yaml'], 'Error: invalid --format: expected "json", got "yaml"'],
    [['service', 'ls', '--filter', 'label=x'], 'Error: invalid --filter: unknown key "label"'],
    [['service', 'ps', 'web', '--filter', 'desired-state=done'], 'Error: invalid --filter: desired-state must be one of running, ready, shutdown, remove, got "done"'],
    [['service', 'scale', 'web=3', 'db=x'], 'Error: invalid argument "db=x": expected a non-negative integer, got "x"'],
    [['node', 'update', '--availability', 'off', 'self'], 'Error: invalid --availability: expected one of active, pause, drain, got "off"'],
    [['node', 'update', '--label-add', '=v', 'self'], 'Error: invalid --label-add: "=v" is not KEY=VALUE: the key is empty'],
    [['swarm', 'init', '--advertise-addr', 'not-an-ip'], 'Error: invalid --advertise-addr: expected an IP address or IP:PORT (or an interface name), got "not-an-ip"'],
    [['swarm', 'init', '--listen-addr', '0.0.0.0:0'], 'Error: invalid --listen-addr: port "0" is out of range (expected 1-65535)'],
    [['swarm', 'init', '--plugin', './no/such/plugin.js'], 'Error: invalid --plugin: cannot find a module at "./no/such/plugin.js"'],
    [['daemon', '--advertise-addr', '1.2.3.4'], 'Error: invalid --advertise-addr: only applies when initializing or joining a swarm'],
    [['--data-dir', '', 'service', 'ls'], 'Error: invalid --data-dir: must not be empty'],
    [['nope'], "Error: unknown command 'nope'"],
  ])('orch %j', async (argv, message) => {
    const r = await orch(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.daemon.calls).toEqual([]);
  });
});

describe('global behaviour', () => {
  it('prints the version and help with exit 0', async () => {
    expect(await orch(['--version'])).toEqual(expect.objectContaining({ code: 0, out: `${VERSION}\n` }));
    const help = await orch(['service', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: orch service create [options] <image> [command...]');
    expect(help.out).toContain('--data-dir <dir>');
  });

  it('takes --data-dir before or after the subcommand, else ORCH_DATA_DIR', async () => {
    const list = () => new FakeDaemon({ ServiceList: () => ({ services: [] }) });
    expect((await orch(['--data-dir', '/a', 'service', 'ls'], list())).sockets).toEqual(['/a/orch.sock']);
    expect((await orch(['service', 'ls', '--data-dir', 'rel'], list())).sockets).toEqual(['/work/rel/orch.sock']);
    expect((await orch(['service', 'ls'], list())).sockets).toEqual(['/data/orch.sock']);
    expect((await orch(['service', 'ls'], list(), { env: {} })).sockets).toEqual(['/home/u/.orch/orch.sock']);
  });

  it('exits 1 with the daemon\'s error, and closes the connection', async () => {
    const daemon = new FakeDaemon({
      ServiceList: () => {
        throw new OrchError('invalid', 'invalid filters.mode: expected one of replicated, global', 'filters.mode');
      },
    });
    const r = await orch(['service', 'ls'], daemon);
    expect(r.code).toBe(1);
    expect(r.err).toBe('Error: invalid filters.mode: expected one of replicated, global\n');
    expect(daemon.closed).toBe(true);
  });

  it('says how to start a daemon when none answers', async () => {
    const daemon = new FakeDaemon({
      Info: () => {
        throw unreachable('/data/orch.sock');
      },
    });
    const r = await orch(['swarm', 'leave'], daemon);
    expect(r.code).toBe(1);
    expect(r.err).toBe('Error: cannot reach the orch daemon at /data/orch.sock: is it running? ("orch swarm init" or "orch daemon")\n');
  });
});

describe('service create', () => {
  const creating = (tasks = [makeTask({ slot: 1 })]) => {
    let spec: ServiceSpec | undefined;
    const daemon = new FakeDaemon({
      ServiceCreate: (req) => {
        spec = req.spec;
        return { service: { ...makeService('web'), spec: req.spec } };
      },
      ServiceInspect: () => ({ service: makeService('web') }),
      TaskList: () => ({ tasks, services: {}, nodes: {} }),
    });
    return { daemon, spec: () => spec! };
  };

  it('keeps flags after the image for the command', async () => {
    const { daemon, spec } = creating();
    const r = await orch(['service', 'create', '--name', 'web', '-d', 'orch-test/busybox', 'sh', '-c', 'httpd -f -p 80', '--replicas', '-e'], daemon);
    expect(r.code).toBe(0);
    expect(spec().task.container.args).toEqual(['sh', '-c', 'httpd -f -p 80', '--replicas', '-e']);
    expect(spec().mode).toEqual({ replicated: { replicas: 1 } });
    expect(r.out).toBe('id-webxxxxxxxxxxxxxxxxxxxxx\n');
    expect(daemon.calls.map((c) => c.method)).toEqual(['ServiceCreate']);
  });

  it('generates a name when none is given', async () => {
    const { daemon, spec } = creating();
    await orch(['service', 'create', '-q', 'busybox'], daemon);
    expect(spec().name).toMatch(/^[a-z]+_[a-z]+$/);
  });

  it('shows progress until converged', async () => {
    const { daemon } = creating();
    const r = await orch(['service', 'create', '--name', 'web', 'busybox'], daemon);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`id-webxxxxxxxxxxxxxxxxxxxxx\noverall progress: 1 out of 1 tasks\n1/1: running   [${'='.repeat(50)}>]\nverify: Service converged\n`);
    expect(daemon.watching).toBe(0);
  });

  it('re-reads the tasks on each watched change', async () => {
    const tasks = [makeTask({ slot: 1, state: 'pending' })];
    const { daemon } = creating(tasks);
    const f = fakeEnv(daemon);
    const done = run(['service', 'create', '--name', 'web', 'busybox'], f.env);
    await new Promise((r) => setImmediate(r));
    expect(f.stdout()).toContain('1/1: pending');
    tasks[0] = makeTask({ slot: 1, state: 'running' });
    daemon.push();
    expect(await done).toBe(0);
    expect(f.stdout()).toContain('verify: Service converged');
  });
});

describe('service ls, ps, inspect', () => {
  const summary = { service: makeService('web', { replicas: 2, ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }] }), running: 1, desired: 2 };

  it('lists services as a table, ids, or JSON lines', async () => {
    const daemon = new FakeDaemon({ ServiceList: () => ({ services: [summary] }) });
    expect((await orch(['service', 'ls'], daemon)).out).toBe(
      'ID             NAME      MODE         REPLICAS   IMAGE     PORTS\nid-webxxxxxx   web       replicated   1/2        busybox   *:8080->80/tcp\n',
    );
    expect((await orch(['service', 'ls', '-q'], daemon)).out).toBe('id-webxxxxxxxxxxxxxxxxxxxxx\n');
    expect(JSON.parse((await orch(['service', 'ls', '--format', 'json'], daemon)).out)).toEqual(expect.objectContaining({ Name: 'web', Replicas: '1/2' }));
  });

  it('sends the filters', async () => {
    const daemon = new FakeDaemon({ ServiceList: () => ({ services: [] }) });
    await orch(['service', 'ls', '--filter', 'name=we', '-f', 'mode=global'], daemon);
    expect(daemon.calls[0].req).toEqual({ filters: { name: ['we'], id: undefined, mode: ['global'] } });
  });

  it('lists tasks of several services with filters', async () => {
    const daemon = new FakeDaemon({ TaskList: () => ({ tasks: [makeTask({ slot: 1, nodeId: 'n1' })], services: {}, nodes: { n1: 'box' } }) });
    const r = await orch(['service', 'ps', 'web', 'db', '--filter', 'desired-state=running', '--filter', 'node=box'], daemon);
    expect(daemon.calls[0].req).toEqual({ filters: { service: ['web', 'db'], node: ['box'], id: undefined, name: undefined, desiredState: ['running'] } });
    expect(r.out.split('\n')[1]).toMatch(/^task1xxxxxxx {3}web\.1 {5}busybox {3}box {7}Running {9}Running 5 seconds ago$/);
    expect((await orch(['service', 'ps', '-q', '--no-trunc', 'web'], daemon)).out).toBe('task1xxxxxxxxxxxxxxxxxxxx\n');
  });

  it('inspects each service, reporting the missing ones and failing after printing the rest', async () => {
    const daemon = new FakeDaemon({
      ServiceInspect: ({ ref }) => {
        if (ref !== 'web') throw new NotFoundError('service', ref);
        return { service: summary.service };
      },
    });
    const r = await orch(['service', 'inspect', 'web', 'nope'], daemon);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual([summary.service]);
    expect(r.err).toBe('Error: service nope not found\n');
  });
});

describe('service scale and rm', () => {
  it('scales each service and says so', async () => {
    const daemon = new FakeDaemon({ ServiceScale: ({ ref }) => ({ service: makeService(ref) }) });
    const r = await orch(['service', 'scale', 'web=3', 'db=0', '--detach'], daemon);
    expect(r.code).toBe(0);
    expect(r.out).toBe('web scaled to 3\ndb scaled to 0\n');
    expect(daemon.calls.map((c) => c.req)).toEqual([
      { ref: 'web', replicas: 3 },
      { ref: 'db', replicas: 0 },
    ]);
  });

  it('removes each service, carrying on past failures and exiting 1', async () => {
    const daemon = new FakeDaemon({
      ServiceRemove: ({ ref }) => {
        if (ref === 'nope') throw new NotFoundError('service', ref);
        return { id: ref };
      },
    });
    const r = await orch(['service', 'rm', 'web', 'nope', 'db'], daemon);
    expect(r.code).toBe(1);
    expect(r.out).toBe('web\ndb\n');
    expect(r.err).toBe('Error: service nope not found\n');
  });
});

describe('node commands', () => {
  it('lists nodes, marking this one, with each manager\'s status', async () => {
    const nodes = [makeNode('n1', { role: 'manager' }), makeNode('n2'), makeNode('n3', { role: 'manager' }), makeNode('n4', { role: 'manager' })];
    const managers = {
      n1: { addr: 'a:1', leader: true, reachability: 'reachable' as const },
      n3: { addr: 'a:3', leader: false, reachability: 'reachable' as const },
      n4: { addr: 'a:4', leader: false, reachability: 'unreachable' as const },
    };
    const daemon = new FakeDaemon({ NodeList: () => ({ nodes, self: 'n1', managers }) });
    expect((await orch(['node', 'ls'], daemon)).out).toBe(
      'ID        HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
        'n1 *      host-n1    Ready     Active         Leader           20.10.24\n' +
        'n2        host-n2    Ready     Active                          20.10.24\n' +
        'n3        host-n3    Ready     Active         Reachable        20.10.24\n' +
        'n4        host-n4    Ready     Active         Unreachable      20.10.24\n',
    );
    expect((await orch(['node', 'ls', '-q'], daemon)).out).toBe('n1\nn2\nn3\nn4\n');
  });

  it('updates a node and prints its id', async () => {
    const daemon = new FakeDaemon({ NodeUpdate: () => ({ node: makeNode('n1') }) });
    const r = await orch(['node', 'update', '--availability', 'drain', '--label-add', 'zone=a', '--label-add', 'ssd', '--label-rm', 'old', 'self'], daemon);
    expect(r.out).toBe('n1\n');
    expect(daemon.calls[0].req).toEqual({ ref: 'self', availability: 'drain', labelAdd: { zone: 'a', ssd: '' }, labelRm: ['old'] });
  });
});

describe('swarm leave', () => {
  const info = (role: 'manager' | 'worker') => ({ nodeId: 'n1', clusterId: 'c', role, version: VERSION, pid: 2 ** 22 + 12345, storeVersion: 1 });

  it('refuses on a manager without --force', async () => {
    const daemon = new FakeDaemon({ Info: () => info('manager') });
    const r = await orch(['swarm', 'leave'], daemon);
    expect(r.code).toBe(1);
    expect(r.err).toContain('You are attempting to leave the swarm on a node that is participating as a manager');
    expect(daemon.calls.map((c) => c.method)).toEqual(['Info']);
  });

  const managers = (...ids: string[]) => Object.fromEntries(ids.map((id, i) => [id, { addr: `a:${i}`, leader: i === 0, reachability: 'reachable' as const }]));

  it('with --force, shuts the last manager down leaving the swarm and waits for it to exit', async () => {
    const daemon = new FakeDaemon({ Info: () => info('manager'), NodeList: () => ({ nodes: [], self: 'n1', managers: managers('n1') }), Shutdown: () => ({}) });
    const r = await orch(['swarm', 'leave', '--force'], daemon);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Node left the swarm.\n');
    expect(daemon.calls.map((c) => c.method)).toEqual(['Info', 'NodeList', 'Shutdown']);
    expect(daemon.calls[2]).toEqual({ method: 'Shutdown', req: { leave: true } });
  });

  it('with --force, a manager with others first leaves consensus (demoted), then leaves', async () => {
    const daemon = new FakeDaemon({
      Info: () => info('manager'),
      NodeList: () => ({ nodes: [], self: 'n1', managers: managers('n2', 'n1') }),
      NodeRole: () => ({ node: makeNode('n1'), changed: true }),
      Shutdown: () => ({}),
    });
    const r = await orch(['swarm', 'leave', '--force'], daemon);
    expect(r.code).toBe(0);
    expect(daemon.calls.map((c) => c.method)).toEqual(['Info', 'NodeList', 'NodeRole', 'Shutdown']);
    expect(daemon.calls[2].req).toEqual({ ref: 'self', role: 'worker', force: true });
  });
});
