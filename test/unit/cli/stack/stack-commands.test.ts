import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OrchError } from '../../../../core/errors';
import type { ServiceSummary } from '../../../../core/api/contract';
import type { Network, Service, ServiceSpec } from '../../../../core/model/types';
import { run } from '../../../../cli/program';
import { FakeDaemon, fakeEnv, makeService, makeTask } from '../fixtures';

const NS = 'com.docker.stack.namespace';

function stackService(name: string, stack: string): Service {
  const s = makeService(name);
  return { ...s, spec: { ...s.spec, labels: { [NS]: stack } } };
}

function net(name: string, stack?: string): Network {
  const labels: Record<string, string> = stack === undefined ? {} : { [NS]: stack };
  return { id: `net-${name}`, meta: { version: 1, createdAt: '', updatedAt: '' }, spec: { name, driver: 'overlay', labels, attachable: false }, subnet: '10.0.0.0/24', gateway: '10.0.0.1' };
}

const summary = (service: Service): ServiceSummary => ({ service, running: 1, desired: 2 });

describe('orch stack', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-stack-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function orch(argv: string[], daemon: FakeDaemon, env?: Record<string, string>) {
    const f = fakeEnv(daemon, { env: { ORCH_DATA_DIR: '/data', ...env } });
    const code = await run(argv, { ...f.env, cwd: dir });
    return { code, out: f.stdout(), err: f.stderr() };
  }

  function deployDaemon(services: Service[] = [], networks: Network[] = [], more: ConstructorParameters<typeof FakeDaemon>[0] = {}) {
    const created: ServiceSpec[] = [];
    const daemon = new FakeDaemon({
      ServiceList: () => ({ services: services.map(summary) }),
      NetworkList: () => ({ networks }),
      NetworkCreate: (req) => ({ network: net(req.spec.name) }),
      ServiceCreate: (req) => {
        created.push(req.spec);
        return { service: { ...makeService(req.spec.name), id: `id-${req.spec.name}` } };
      },
      ServiceUpdate: (req) => ({ service: { ...makeService(req.spec.name), id: req.ref } }),
      ServiceRemove: (req) => ({ id: req.ref }),
      ...more,
    });
    return { daemon, created };
  }

  it('deploys a stack: networks, then services, printing docker\'s lines and warnings', async () => {
    fs.writeFileSync(path.join(dir, 'stack.yml'), 'services:\n  web:\n    image: "web:${TAG}"\n    build: .\n    container_name: w\n');
    fs.writeFileSync(path.join(dir, '.env'), 'TAG=3\n');
    const { daemon, created } = deployDaemon();
    const r = await orch(['stack', 'deploy', '-c', 'stack.yml', 'app'], daemon);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Creating network app_default\nCreating service app_web\n');
    expect(r.err).toBe('Ignoring unsupported options: services.web.build, services.web.container_name\n');
    expect(created[0].task.container.image).toBe('web:3');
    expect(daemon.calls.map((c) => c.method)).toEqual(['ServiceList', 'NetworkList', 'NetworkCreate', 'ServiceCreate']);
  });

  it('updates only changed services and prunes with --prune (alias up)', async () => {
    fs.writeFileSync(path.join(dir, 'stack.yml'), 'services:\n  web:\n    image: web\n');
    const { daemon } = deployDaemon([stackService('app_web', 'app'), stackService('app_old', 'app'), stackService('other_x', 'other')], [net('app_default', 'app')]);
    const r = await orch(['stack', 'up', '--prune', '--compose-file', 'stack.yml', 'app'], daemon);
    expect(r.out).toBe('Removing service app_old\nUpdating service app_web (id: id-app_webxxxxxxxxxxxxxxxxxxxxx)\n');
    expect(daemon.calls.filter((c) => c.method === 'ServiceRemove').map((c) => c.req)).toEqual([{ ref: 'id-app_oldxxxxxxxxxxxxxxxxxxxxx' }]);
    expect(daemon.calls.find((c) => c.method === 'ServiceUpdate')?.req).toMatchObject({ ref: 'id-app_webxxxxxxxxxxxxxxxxxxxxx', version: 1 });
  });

  it('with --no-detach, shows each created service\'s progress until it converges', async () => {
    fs.writeFileSync(path.join(dir, 'stack.yml'), 'services:\n  web:\n    image: web\n');
    const { daemon } = deployDaemon([], [], {
      ServiceInspect: () => ({ service: makeService('app_web') }),
      TaskList: () => ({ tasks: [makeTask({ service: 'app_web', slot: 1 })], services: {}, nodes: {} }),
    });
    const r = await orch(['stack', 'deploy', '--no-detach', '-c', 'stack.yml', 'app'], daemon);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Creating network app_default\nCreating service app_web\napp_web:\noverall progress: 1 out of 1 tasks\n1/1: running   [${'='.repeat(50)}>]\nverify: Service converged\n`);
  });

  it('changes nothing and exits 2 for an invalid file, naming the bad key', async () => {
    fs.writeFileSync(path.join(dir, 'stack.yml'), 'services:\n  web:\n    image: web\n    deploy: {replicas: three}\n');
    const { daemon } = deployDaemon();
    const r = await orch(['stack', 'deploy', '-c', 'stack.yml', 'app'], daemon);
    expect(r.code).toBe(2);
    expect(r.err).toBe('Error: invalid services.web.deploy.replicas: expected a non-negative integer, got "three"\n');
    expect(daemon.calls).toEqual([]);
  });

  it('needs a compose file and a valid stack name', async () => {
    expect((await orch(['stack', 'deploy', 'app'], deployDaemon().daemon)).err).toBe('Error: invalid --compose-file: required: name at least one compose file\n');
    expect((await orch(['stack', 'deploy', '-c', 'x.yml', '_bad'], deployDaemon().daemon)).err).toMatch(/^Error: invalid stack name: "_bad" is not a stack name/);
    const missing = await orch(['stack', 'deploy', '-c', 'x.yml', 'app'], deployDaemon().daemon);
    expect(missing).toMatchObject({ code: 1, err: 'Error: cannot read compose file x.yml: no such file\n' });
  });

  it('lists stacks with their number of services', async () => {
    const daemon = new FakeDaemon({ ServiceList: () => ({ services: [stackService('a_web', 'a'), stackService('a_db', 'a'), stackService('b_x', 'b'), makeService('loose')].map(summary) }) });
    expect((await orch(['stack', 'ls'], daemon)).out).toBe('NAME      SERVICES\na         2\nb         1\n');
    expect((await orch(['stack', 'ls', '--format', 'json'], daemon)).out).toBe('{"Name":"a","Services":"2"}\n{"Name":"b","Services":"1"}\n');
  });

  it('lists the services of a stack, or says nothing was found', async () => {
    const daemon = new FakeDaemon({ ServiceList: () => ({ services: [stackService('a_web', 'a'), stackService('b_x', 'b')].map(summary) }) });
    const r = await orch(['stack', 'services', 'a'], daemon);
    expect(r.out).toMatch(/^ID\s+NAME\s+MODE\s+REPLICAS\s+IMAGE\s+PORTS\n\S+\s+a_web\s+replicated\s+1\/2\s+busybox\s*\n$/);
    expect((await orch(['stack', 'services', '-q', 'a'], daemon)).out).toBe('id-a_webxxxxxxxxxxxxxxxxxxxxx\n');
    expect(await orch(['stack', 'services', 'zzz'], daemon)).toMatchObject({ code: 0, out: '', err: 'Nothing found in stack: zzz\n' });
  });

  it('lists the tasks of a stack\'s services', async () => {
    const daemon = new FakeDaemon({
      ServiceList: () => ({ services: [stackService('a_web', 'a'), stackService('b_x', 'b')].map(summary) }),
      TaskList: (req) => ({ tasks: req.filters?.service?.includes('id-a_webxxxxxxxxxxxxxxxxxxxxx') ? [makeTask({ service: 'a_web', slot: 1 })] : [], services: {}, nodes: {} }),
    });
    const r = await orch(['stack', 'ps', 'a', '--filter', 'desired-state=running'], daemon);
    expect(r.out).toMatch(/a_web\.1\s+busybox/);
    expect(daemon.calls[1].req).toMatchObject({ filters: { service: ['id-a_webxxxxxxxxxxxxxxxxxxxxx'], desiredState: ['running'] } });
    expect((await orch(['stack', 'ps', '-q', '--no-trunc', 'a'], daemon)).out).toBe('task1xxxxxxxxxxxxxxxxxxxx\n');
    expect(await orch(['stack', 'ps', 'zzz'], daemon)).toMatchObject({ code: 1, err: 'Error: nothing found in stack: zzz\n' });
  });

  it('removes a stack\'s services, then its networks, retrying a network still in use', async () => {
    let refusals = 1;
    const daemon = new FakeDaemon({
      ServiceList: () => ({ services: [stackService('a_web', 'a'), stackService('b_x', 'b')].map(summary) }),
      NetworkList: () => ({ networks: [net('a_default', 'a'), net('b_default', 'b'), net('ingress')] }),
      ServiceRemove: (req) => ({ id: req.ref }),
      NetworkRemove: (req) => {
        if (refusals-- > 0) throw new OrchError('conflict', 'network a_default is in use by service(s) a_web');
        return { id: req.ref };
      },
    });
    const r = await orch(['stack', 'rm', 'a', 'nothing'], daemon);
    expect(r).toMatchObject({ code: 0, out: 'Removing service a_web\nRemoving network a_default\n', err: 'Nothing found in stack: nothing\n' });
    expect(daemon.calls.filter((c) => c.method.endsWith('Remove')).map((c) => c.req)).toEqual([{ ref: 'id-a_webxxxxxxxxxxxxxxxxxxxxx' }, { ref: 'net-a_default' }, { ref: 'net-a_default' }]);
  });

  it('reports what it could not remove and exits 1', async () => {
    const daemon = new FakeDaemon({
      ServiceList: () => ({ services: [summary(stackService('a_web', 'a'))] }),
      NetworkList: () => ({ networks: [] }),
      ServiceRemove: () => {
        throw new OrchError('unavailable', 'no leader');
      },
    });
    const r = await orch(['stack', 'down', 'a'], daemon);
    expect(r).toMatchObject({ code: 1, out: 'Removing service a_web\n', err: 'Failed to remove service a_web: no leader\nError: failed to remove some resources from stack: a\n' });
  });
});
