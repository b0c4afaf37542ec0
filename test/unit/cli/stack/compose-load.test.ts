import { loadCompose } from '../../../../cli/stack/compose-load';
import { checkKeys } from '../../../../cli/stack/compose-schema';
import { mergeCompose } from '../../../../cli/stack/merge';
import { errorOf, load } from './helpers';

describe('loading compose files', () => {
  it('merges later files over earlier ones: mappings by key, lists and scalars replaced', () => {
    const base = `
version: "3.8"
services:
  web:
    image: nginx:1
    command: ["a", "b"]
    ports: ["80:80"]
    environment: [A=1, B=2]
    deploy:
      replicas: 2
      labels: {tier: web}
  db:
    image: postgres
`;
    const override = `
services:
  web:
    image: nginx:2
    command: ["c"]
    environment:
      B: "3"
      C: "4"
    deploy:
      replicas: 5
  cache:
    image: redis
`;
    const { config } = load([base, override]);
    expect(config.services).toEqual({
      web: { image: 'nginx:2', command: ['c'], ports: ['80:80'], environment: { A: '1', B: '3', C: '4' }, deploy: { replicas: 5, labels: { tier: 'web' } } },
      db: { image: 'postgres' },
      cache: { image: 'redis' },
    });
  });

  it('merges labels written as a list over labels written as a mapping', () => {
    expect(mergeCompose({ labels: { a: '1', b: '2' } }, { labels: ['b=3', 'c'] })).toEqual({ labels: { a: '1', b: '3', c: null } });
  });

  it('interpolates from the environment, then a .env file beside the first file', () => {
    const loaded = load('services:\n  web:\n    image: "nginx:${TAG}"\n    command: "echo ${WHO:-nobody} $UNSET"\n', {
      env: { WHO: 'me' },
      files: { '/proj/.env': '# settings\nexport TAG="1.25"\nWHO=dotenv\n' },
    });
    expect(loaded.config.services).toEqual({ web: { image: 'nginx:1.25', command: 'echo me ' } });
    expect(loaded.unset).toEqual(['UNSET']);
    expect(loaded.lookup('WHO')).toBe('me');
    expect(loaded.workingDir).toBe('/proj');
  });

  it('lists the keys docker ignores, with their paths, and keeps going', () => {
    const loaded = load('services:\n  web:\n    image: x\n    build: .\n    container_name: w\n    depends_on: [db]\n    x-note: kept\n  db:\n    image: y\n    privileged: true\n    volumes: [{type: bind, source: /a, target: /b, consistency: cached}]\nx-common: {a: 1}\n');
    expect(loaded.ignored).toEqual(['services.web.build', 'services.web.container_name', 'services.web.depends_on', 'services.db.privileged', 'services.db.volumes[0].consistency']);
  });

  it('refuses, in one message, every key orch cannot honour and every unknown key, naming each path', () => {
    const msg = errorOf(() => load('services:\n  web:\n    image: x\n    user: nobody\n    replics: 3\n    deploy:\n      resources: {limits: {pids: 10}}\n    networks: {front: {ipv4_address: 10.0.0.5}}\nsecrets: {s: {file: ./s}}\n'));
    expect(msg).toMatch(/^invalid a\.yml: 5 keys cannot be deployed:\n/);
    expect(msg).toContain("  services.web.user: not supported: orch has no user setting: tasks run as the image's user");
    expect(msg).toMatch(/  services\.web\.replics: unknown key \(expected one of command, deploy, .*\)/);
    expect(msg).toContain('  services.web.deploy.resources.limits.pids: not supported: orch has no process limits');
    expect(msg).toContain('  services.web.networks.front.ipv4_address: not supported: orch has no fixed task addresses');
    expect(msg).toContain('  secrets: not supported: orch has no secrets');
  });

  it('names a single refused key on its own', () => {
    expect(errorOf(() => load('services:\n  web:\n    image: x\n    mem_limit: 1g\n'))).toBe('invalid services.web.mem_limit: not supported: set resource limits with deploy.resources (in a.yml)');
  });

  it('reports problems of every file, naming the files', () => {
    expect(errorOf(() => load(['services:\n  a:\n    image: x\n    hostname: h\n', 'services:\n  a:\n    tty: true\n']))).toMatch(/^invalid a\.yml, b\.yml: 2 keys cannot be deployed:/);
  });

  it('refuses bad YAML, naming the file and the line', () => {
    expect(errorOf(() => load('services:\n  web: [\n'))).toMatch(/^invalid a\.yml: .*line 3/);
    expect(errorOf(() => load('services:\n  web: {}\n  web: {}\n'))).toMatch(/^invalid a\.yml: Map keys must be unique/);
    expect(errorOf(() => load(''))).toBe('invalid a.yml: expected a compose file (a mapping with "services"), got an empty file');
    expect(errorOf(() => load('- a\n'))).toBe('invalid a.yml: expected a compose file (a mapping with "services"), got a list');
  });

  it('says which file cannot be read', () => {
    expect(errorOf(() => loadCompose(['nope.yml'], { cwd: '/proj', env: {}, read: () => undefined }))).toBe('cannot read compose file nope.yml: no such file');
  });

  it('follows YAML anchors and merge keys', () => {
    const loaded = load('x-base: &base\n  image: x\n  environment: {A: "1"}\nservices:\n  web:\n    <<: *base\n    command: run\n');
    expect((loaded.config.services as Record<string, unknown>).web).toEqual({ image: 'x', environment: { A: '1' }, command: 'run' });
  });

  it('checks keys of every kind of entry', () => {
    const report = checkKeys({
      services: { web: { ports: [{ target: 80, host_ip: '1.2.3.4' }], healthcheck: { test: 'x', start_interval: '1s' } } },
      networks: { n: { ipam: { config: [{ subnet: '10.1.0.0/24', gateway: '10.1.0.1' }] } } },
      volumes: { v: { driver: 'local', size: 1 } },
      name: 'proj',
    });
    expect(report.problems.map((p) => p.path)).toEqual([
      'services.web.ports[0].host_ip',
      'services.web.healthcheck.start_interval',
      'networks.n.ipam.config[0].gateway',
      'volumes.v.size',
      'name',
    ]);
  });
});
