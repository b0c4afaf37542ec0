import { constraintKeyHook, lookupConstraintValue } from '../../../core/scheduler/constraint-lookup';
import { BUILTIN_CONSTRAINT_KEYS } from '../../../plugins/scheduler-filters/constraint-keys';
import { bootPlugin, makeNode } from './fixtures';

describe('constraint keys', () => {
  const node = makeNode('abc123', {
    hostname: 'web-1',
    role: 'manager',
    os: 'linux',
    arch: 'aarch64',
    addr: '192.168.1.20:2377',
    labels: { zone: 'eu-1', 'a.b': 'dotted', a: 'short', empty: '' },
    engineLabels: { storage: 'ssd' },
  });

  it.each([
    ['node.id', 'abc123'],
    ['node.hostname', 'web-1'],
    ['node.role', 'manager'],
    ['node.platform.os', 'linux'],
    ['node.platform.arch', 'aarch64'],
    ['node.ip', '192.168.1.20'],
    ['node.runtime', 'docker'],
    ['node.labels.zone', 'eu-1'],
    ['engine.labels.storage', 'ssd'],
  ])('%s → %s', async (key, value) => {
    const { hooks } = await bootPlugin();
    expect(lookupConstraintValue(hooks, node, key)).toEqual({ known: true, value });
  });

  it('takes the label name after the prefix, dots included, case-sensitively', async () => {
    const { hooks } = await bootPlugin();
    expect(lookupConstraintValue(hooks, node, 'node.labels.a.b').value).toBe('dotted');
    expect(lookupConstraintValue(hooks, node, 'node.labels.a').value).toBe('short');
    expect(lookupConstraintValue(hooks, node, 'node.labels.Zone')).toEqual({ known: true, value: undefined });
  });

  it('matches key names case-insensitively', async () => {
    const { hooks } = await bootPlugin();
    expect(lookupConstraintValue(hooks, node, 'NODE.Hostname').value).toBe('web-1');
    expect(lookupConstraintValue(hooks, node, 'Node.Labels.zone').value).toBe('eu-1');
  });

  it('reports a missing attribute as known without a value', async () => {
    const { hooks } = await bootPlugin();
    expect(lookupConstraintValue(hooks, node, 'node.labels.rack')).toEqual({ known: true, value: undefined });
    expect(lookupConstraintValue(hooks, node, 'node.labels.empty')).toEqual({ known: true, value: undefined });
    expect(lookupConstraintValue(hooks, node, 'node.labels.constructor')).toEqual({ known: true, value: undefined });
  });

  it('reports unknown keys', async () => {
    const { hooks } = await bootPlugin();
    for (const key of ['node.foo', 'node', 'node.platform', 'engine.version', 'labels.zone']) {
      expect(lookupConstraintValue(hooks, node, key)).toEqual({ known: false });
    }
  });

  it('uses the longest tapped prefix, so plugins can add keys under a built-in prefix', async () => {
    const { hooks } = await bootPlugin();
    hooks.constraints.key.for('node.labels.gpu').tap('gpu', (_n, key) => `gpu:${key}`);
    expect(lookupConstraintValue(hooks, node, 'node.labels.gpu.count').value).toBe('gpu:node.labels.gpu.count');
    expect(lookupConstraintValue(hooks, node, 'node.labels.zone').value).toBe('eu-1');
  });

  it('ignores hooks that were created but never tapped', async () => {
    const { hooks } = await bootPlugin();
    hooks.constraints.key.for('node.foo');
    expect(constraintKeyHook(hooks, 'node.foo')).toBeUndefined();
  });

  it('names the built-in keys for messages', () => {
    expect(BUILTIN_CONSTRAINT_KEYS).toEqual([
      'node.id',
      'node.hostname',
      'node.role',
      'node.platform.os',
      'node.platform.arch',
      'node.ip',
      'node.runtime',
      'node.labels.<key>',
      'engine.labels.<key>',
    ]);
  });

  it.each([
    ['10.1.2.3', '10.1.2.3'],
    ['[fd00::1]:2377', 'fd00::1'],
    ['fd00::1', 'fd00::1'],
    ['manager-1', 'manager-1'],
  ])('node.ip of address %s is %s', async (addr, ip) => {
    const { hooks } = await bootPlugin();
    expect(lookupConstraintValue(hooks, makeNode('n', { addr }), 'node.ip').value).toBe(ip);
  });
});
