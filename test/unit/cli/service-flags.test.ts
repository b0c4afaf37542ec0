import { UsageError } from '../../../cli/errors';
import { buildServiceSpec, flagOfField, type ServiceCreateFlags } from '../../../cli/service-flags';

const build = (flags: Partial<ServiceCreateFlags> = {}, args: string[] = [], environment: Record<string, string> = {}) =>
  buildServiceSpec({ name: 'web', ...flags }, 'orch-test/busybox', args, environment);

/** The UsageError thrown by building a spec from `flags`. */
function usageError(flags: Partial<ServiceCreateFlags>, args: string[] = []): UsageError {
  try {
    build(flags, args);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('buildServiceSpec', () => {
  it('builds swarm mode defaults from no flags', () => {
    expect(build()).toEqual({
      name: 'web',
      labels: {},
      mode: { replicated: { replicas: 1 } },
      task: {
        container: { image: 'orch-test/busybox', args: [], env: [], labels: {}, stopGracePeriodMs: 10_000 },
        resources: { limits: {}, reservations: {} },
        restartPolicy: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 },
        placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
      },
      endpoint: { ports: [] },
    });
  });

  it('puts COMMAND and ARGs into args and --entrypoint into command', () => {
    const spec = build({ entrypoint: `sh -c` }, ['httpd -f -p 80']);
    expect(spec.task.container.command).toEqual(['sh', '-c']);
    expect(spec.task.container.args).toEqual(['httpd -f -p 80']);
  });

  it('sets the replica count, or global mode', () => {
    expect(build({ replicas: '3' }).mode).toEqual({ replicated: { replicas: 3 } });
    expect(build({ replicas: '0', mode: 'replicated' }).mode).toEqual({ replicated: { replicas: 0 } });
    expect(build({ mode: 'global' }).mode).toEqual({ global: {} });
  });

  it('normalizes constraints, allowing spaces around the operator', () => {
    expect(build({ constraint: ['node.role == manager', 'node.labels.zone!=b'] }).task.placement.constraints).toEqual(['node.role==manager', 'node.labels.zone!=b']);
  });

  it('reads placement preferences, outermost first, and the max replicas per node', () => {
    const placement = build({ placementPref: ['spread=node.labels.zone', 'SPREAD=engine.labels.rack'], replicasMaxPerNode: '2' }).task.placement;
    expect(placement).toEqual({ constraints: [], preferences: [{ spread: 'node.labels.zone' }, { spread: 'engine.labels.rack' }], maxReplicasPerNode: 2 });
    expect(build({ replicasMaxPerNode: '0' }).task.placement.maxReplicasPerNode).toBe(0);
  });

  it('reads published ports', () => {
    expect(build({ publish: ['8080:80', 'mode=host,published=5353,target=53,protocol=udp', '9000'] }).endpoint.ports).toEqual([
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
      { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 9000, publishedPort: 0, publishMode: 'ingress' },
    ]);
  });

  it('reads env entries, a bare KEY taking its value from the environment (dropped when unset)', () => {
    const spec = build({ env: ['A=1', 'B=x=y', 'HOME', 'UNSET', 'C='] }, [], { HOME: '/root' });
    expect(spec.task.container.env).toEqual(['A=1', 'B=x=y', 'HOME=/root', 'C=']);
  });

  it('reads service labels', () => {
    expect(build({ label: ['tier=front', 'canary'] }).labels).toEqual({ tier: 'front', canary: '' });
  });

  it('reads reservations and limits', () => {
    expect(build({ reserveCpu: '0.5', reserveMemory: '512m', limitCpu: '2', limitMemory: '1g' }).task.resources).toEqual({
      reservations: { nanoCpus: 500_000_000, memoryBytes: 512 * 1024 ** 2 },
      limits: { nanoCpus: 2_000_000_000, memoryBytes: 1024 ** 3 },
    });
  });

  it('reads the restart policy and stop grace period', () => {
    const spec = build({ restartCondition: 'on-failure', restartDelay: '500ms', restartMaxAttempts: '3', restartWindow: '1m30s', stopGracePeriod: '1h' });
    expect(spec.task.restartPolicy).toEqual({ condition: 'on-failure', delayMs: 500, maxAttempts: 3, windowMs: 90_000 });
    expect(spec.task.container.stopGracePeriodMs).toBe(3_600_000);
  });

  it.each<[Partial<ServiceCreateFlags>, string]>([
    [{ replicas: '-1' }, 'invalid --replicas: expected a non-negative integer, got "-1"'],
    [{ replicas: 'abc' }, 'invalid --replicas: expected a non-negative integer, got "abc"'],
    [{ replicas: '200000' }, 'invalid --replicas: expected an integer from 0 to 100000, got 200000'],
    [{ replicas: '2', mode: 'global' }, 'invalid --replicas: cannot be used with --mode global'],
    [{ mode: 'job' }, 'invalid --mode: expected replicated or global, got "job"'],
    [{ constraint: ['node.labels.x~y'] }, 'invalid --constraint: "node.labels.x~y" is not a constraint: expected KEY==VALUE or KEY!=VALUE'],
    [{ constraint: ['node.role=='] }, 'invalid --constraint: "node.role==" has no value after =='],
    [{ placementPref: ['node.labels.zone'] }, 'invalid --placement-pref: expected spread=<node attribute>, got "node.labels.zone"'],
    [{ placementPref: ['spread='] }, 'invalid --placement-pref: expected spread=<node attribute>, got "spread="'],
    [{ placementPref: ['binpack=node.labels.zone'] }, 'invalid --placement-pref: expected spread=<node attribute>, got "binpack=node.labels.zone"'],
    [{ placementPref: ['spread=node labels'] }, 'invalid --placement-pref: expected spread=<node attribute>, got "spread=node labels"'],
    [{ placementPref: ['spread=node.labels.zone', 'spread=node/rack'] }, 'invalid --placement-pref: "node/rack" is not a node attribute: expected e.g. node.labels.zone'],
    [{ replicasMaxPerNode: '-1' }, 'invalid --replicas-max-per-node: expected a non-negative integer, got "-1"'],
    [{ replicasMaxPerNode: '1.5' }, 'invalid --replicas-max-per-node: expected a non-negative integer, got "1.5"'],
    [{ publish: ['99999:80'] }, 'invalid --publish: published port 99999 is out of range (expected 1-65535)'],
    [{ publish: ['80:0'] }, 'invalid --publish: target port 0 is out of range (expected 1-65535)'],
    [{ publish: ['8080:80', '8080:81'] }, 'invalid --publish: tcp/8080 is published twice'],
    [{ env: ['=x'] }, 'invalid --env: "=x" is not KEY=VALUE: the key is empty'],
    [{ label: ['=x'] }, 'invalid --label: "=x" is not KEY=VALUE: the key is empty'],
    [{ reserveCpu: 'lots' }, 'invalid --reserve-cpu: expected a number of CPUs such as 0.5 or 2, got "lots"'],
    [{ limitCpu: '-1' }, 'invalid --limit-cpu: expected a number of CPUs'],
    [{ reserveMemory: '1x' }, 'invalid --reserve-memory: expected a size such as 512m, 1g, 100k or 1024b, got "1x"'],
    [{ limitMemory: 'big' }, 'invalid --limit-memory: expected a size such as 512m'],
    [{ limitMemory: '1m' }, 'invalid --limit-memory: expected at least 6 MiB (the engine refuses less)'],
    [{ reserveMemory: '2g', limitMemory: '1g' }, 'invalid --reserve-memory: reservation 2147483648 exceeds the limit 1073741824'],
    [{ restartCondition: 'always' }, 'invalid --restart-condition: expected one of any, on-failure, none, got "always"'],
    [{ restartDelay: '5' }, 'invalid --restart-delay: expected a duration such as 500ms, 5s, 1m30s or 1h, got "5"'],
    [{ restartWindow: 'soon' }, 'invalid --restart-window: expected a duration'],
    [{ restartWindow: '9000h' }, 'invalid --restart-window: expected an integer from 0 to'],
    [{ restartMaxAttempts: 'x' }, 'invalid --restart-max-attempts: expected a non-negative integer, got "x"'],
    [{ stopGracePeriod: '-1s' }, 'invalid --stop-grace-period: expected a duration'],
    [{ entrypoint: '' }, 'invalid --entrypoint: expected a command, got an empty string'],
    [{ entrypoint: `sh -c 'x` }, 'invalid --entrypoint: unterminated single quote'],
    [{ name: 'bad name' }, 'invalid --name: "bad name" is not a valid service name'],
  ])('refuses %j naming the flag', (flags, message) => {
    expect(usageError(flags).message).toContain(message);
  });

  it('names IMAGE when the image reference is bad', () => {
    expect(() => buildServiceSpec({ name: 'web' }, 'bad image', [])).toThrow('invalid IMAGE: "bad image" is not an image reference');
  });
});

describe('flagOfField', () => {
  it.each([
    ['mode.replicated.replicas', '--replicas'],
    ['task.resources.limits.memoryBytes', '--limit-memory'],
    ['task.placement.constraints[0]', '--constraint'],
    ['task.placement.preferences[1].spread', '--placement-pref'],
    ['task.placement.maxReplicasPerNode', '--replicas-max-per-node'],
    ['endpoint.ports[1].publishedPort', '--publish'],
    ['task.container.args[0]', 'COMMAND'],
    ['something.else', 'something.else'],
  ])('%s → %s', (field, flag) => expect(flagOfField(field)).toBe(flag));
});
