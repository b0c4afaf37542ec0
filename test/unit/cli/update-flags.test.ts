import { readUpdateFlags } from '../../../cli/update-groups';
import { argsChange, envChanges, healthChange, imageChange } from '../../../cli/update-groups/container';
import { constraintChanges, placementPrefChanges } from '../../../cli/update-groups/placement';
import { forceChange, labelChanges, replicasChange, rollbackConfigChange, updateConfigChange } from '../../../cli/update-groups/service';
import { resourcesChange, restartChange } from '../../../cli/update-groups/task';
import { buildServiceSpec } from '../../../cli/service-flags';
import { configFields } from '../../../cli/update-flags';
import { DEFAULT_UPDATE_CONFIG } from '../../../core/model/service-spec';
import type { Service, ServiceSpec } from '../../../core/model/types';
import { makeService } from './fixtures';

/** `web` with env A=1, B=2. */
function web(): Service {
  const s = makeService('web');
  return { ...s, spec: { ...s.spec, task: { ...s.spec.task, container: { ...s.spec.task.container, env: ['A=1', 'B=2'] } } } };
}

const after = (change: (spec: ServiceSpec, current: Service) => ServiceSpec, s = web()) => change(s.spec, s);

describe('service update flag groups', () => {
  it('--image sets the image', () => {
    expect(after(imageChange({ image: 'nginx:2' })).task.container.image).toBe('nginx:2');
    expect(() => imageChange({ image: 'a b' })).toThrow('invalid --image');
  });

  it('--env-rm then --env-add, an added key replacing its entry', () => {
    expect(after(envChanges({ envAdd: ['X=1', 'A=9'], envRm: ['B'] })).task.container.env).toEqual(['X=1', 'A=9']);
    expect(() => envChanges({ envAdd: ['X'] })).toThrow('invalid --env-add');
  });

  it('--args splits as a shell', () => {
    expect(after(argsChange({ args: 'sh -c "sleep 1"' })).task.container.args).toEqual(['sh', '-c', 'sleep 1']);
  });

  it('--replicas sets a replicated service\'s count and refuses a global one', () => {
    expect(after(replicasChange({ replicas: '5' })).mode).toEqual({ replicated: { replicas: 5 } });
    const global = { ...web(), spec: { ...web().spec, mode: { global: {} } } };
    expect(() => after(replicasChange({ replicas: '5' }), global)).toThrow('invalid --replicas');
  });

  it('--force bumps forceUpdate', () => {
    const once = after(forceChange({ force: true }));
    expect(once.task.forceUpdate).toBe(1);
    expect(forceChange({ force: true })(once, web()).task.forceUpdate).toBe(2);
    expect(after(forceChange({}))).toEqual(web().spec);
  });

  it('--update-* set the fields they name over the current config or the defaults', () => {
    const flags = { updateParallelism: '2', updateDelay: '10s', updateOrder: 'start-first', updateFailureAction: 'continue', updateMonitor: '1s', updateMaxFailureRatio: '0.5' };
    expect(after(updateConfigChange(flags)).updateConfig).toEqual({ parallelism: 2, delayMs: 10_000, order: 'start-first', failureAction: 'continue', monitorMs: 1000, maxFailureRatio: 0.5 });
    expect(after(updateConfigChange({ updateDelay: '1s' })).updateConfig).toEqual({ ...DEFAULT_UPDATE_CONFIG, delayMs: 1000 });
    expect(after(updateConfigChange({}))).toEqual(web().spec);
  });

  it.each([
    [{ updateOrder: 'sideways' }, 'invalid --update-order'],
    [{ updateFailureAction: 'sideways' }, 'invalid --update-failure-action: expected pause or continue or rollback'],
    [{ updateMaxFailureRatio: '2' }, 'invalid --update-max-failure-ratio'],
    [{ updateParallelism: '-1' }, 'invalid --update-parallelism'],
  ])('refuses %j', (flags, message) => expect(() => configFields(flags, 'update')).toThrow(message));

  it('--rollback-* set the rollback config; a rollback cannot itself roll back', () => {
    expect(after(rollbackConfigChange({ rollbackParallelism: '0', rollbackMonitor: '2s' })).rollbackConfig).toEqual({ ...DEFAULT_UPDATE_CONFIG, parallelism: 0, monitorMs: 2000 });
    expect(after(rollbackConfigChange({ updateParallelism: '3' }))).toEqual(web().spec);
    expect(() => configFields({ rollbackFailureAction: 'rollback' }, 'rollback')).toThrow('invalid --rollback-failure-action: expected pause or continue, got "rollback"');
  });

  it('--label-rm then --label-add', () => {
    const labeled = { ...web(), spec: { ...web().spec, labels: { a: '1', b: '2' } } };
    expect(after(labelChanges({ labelRm: ['a'], labelAdd: ['c=3', 'b=9'] }), labeled).labels).toEqual({ b: '9', c: '3' });
  });

  it('--constraint-rm then --constraint-add, normalized; --placement-pref-add/-rm', () => {
    const spec = after(constraintChanges({ constraintAdd: ['node.labels.zone == a', 'node.role==worker'] }));
    expect(spec.task.placement.constraints).toEqual(['node.labels.zone==a', 'node.role==worker']);
    const s2 = { ...web(), spec };
    expect(after(constraintChanges({ constraintRm: ['node.role == worker'] }), s2).task.placement.constraints).toEqual(['node.labels.zone==a']);
    expect(() => constraintChanges({ constraintAdd: ['zone'] })).toThrow('invalid --constraint-add');
    expect(after(placementPrefChanges({ placementPrefAdd: ['spread=node.labels.zone'] })).task.placement.preferences).toEqual([{ spread: 'node.labels.zone' }]);
    expect(() => placementPrefChanges({ placementPrefRm: ['pack=x'] })).toThrow('invalid --placement-pref-rm');
  });

  it('--limit-*/--reserve-* and --restart-* set only the fields they name', () => {
    const spec = after(resourcesChange({ limitMemory: '64m', reserveCpu: '0.5' }));
    expect(spec.task.resources).toEqual({ limits: { memoryBytes: 64 * 1024 * 1024 }, reservations: { nanoCpus: 500_000_000 } });
    expect(after(resourcesChange({ limitCpu: '1' }), { ...web(), spec }).task.resources.limits).toEqual({ memoryBytes: 64 * 1024 * 1024, nanoCpus: 1e9 });
    expect(after(restartChange({ restartCondition: 'none', restartDelay: '1s' })).task.restartPolicy).toMatchObject({ condition: 'none', delayMs: 1000 });
  });

  it('health flags: a new check keeps the timings; timings alone adjust the own check; --no-healthcheck', () => {
    const checked = after(healthChange({ healthCmd: 'true', healthRetries: '5' }));
    expect(checked.task.container.healthcheck).toEqual({ test: ['CMD-SHELL', 'true'], retries: 5 });
    const s2 = { ...web(), spec: checked };
    expect(after(healthChange({ healthInterval: '2s' }), s2).task.container.healthcheck).toEqual({ test: ['CMD-SHELL', 'true'], retries: 5, intervalMs: 2000 });
    expect(after(healthChange({ healthTcp: '80' }), s2).task.container.healthcheck).toEqual({ test: ['TCP', '80'], retries: 5 });
    expect(after(healthChange({ healthcheck: false }), s2).task.container.healthcheck).toEqual({ test: ['NONE'] });
    expect(() => after(healthChange({ healthInterval: '2s' }))).toThrow('invalid --health-interval');
    expect(after(healthChange({ healthcheck: true }))).toEqual(web().spec);
  });

  it('applies every group together', () => {
    const spec = after(readUpdateFlags({ image: 'nginx', envAdd: ['X=1'], updateParallelism: '1' }));
    expect(spec.task.container).toMatchObject({ image: 'nginx', env: ['A=1', 'B=2', 'X=1'] });
    expect(spec.updateConfig?.parallelism).toBe(1);
  });
});

describe('service create --update-* flags', () => {
  it('sets an update config only when given', () => {
    expect(buildServiceSpec({ name: 'web' }, 'nginx', []).updateConfig).toBeUndefined();
    expect(buildServiceSpec({ name: 'web', updateOrder: 'start-first' }, 'nginx', []).updateConfig).toEqual({ ...DEFAULT_UPDATE_CONFIG, order: 'start-first' });
  });
});
