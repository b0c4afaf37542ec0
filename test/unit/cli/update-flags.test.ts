import { argsChange, envChanges, forceChange, imageChange, readUpdateFlags, replicasChange, updateConfigChange } from '../../../cli/commands/service/update';
import { buildServiceSpec } from '../../../cli/service-flags';
import { updateConfigFields } from '../../../cli/update-flags';
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
    [{ updateFailureAction: 'rollback' }, 'invalid --update-failure-action'],
    [{ updateMaxFailureRatio: '2' }, 'invalid --update-max-failure-ratio'],
    [{ updateParallelism: '-1' }, 'invalid --update-parallelism'],
  ])('refuses %j', (flags, message) => expect(() => updateConfigFields(flags)).toThrow(message));

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
