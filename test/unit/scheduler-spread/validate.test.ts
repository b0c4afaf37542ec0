import type { Hooks } from '../../../core/hooks';
import type { ServiceSpec } from '../../../core/model/types';
import { bootPlugin, makeTask } from './fixtures';

let hooks: Hooks;
beforeEach(async () => {
  ({ hooks } = await bootPlugin());
});

const spec = (constraints: readonly string[], preferences: readonly string[] = []): ServiceSpec => ({
  name: 'web',
  labels: {},
  mode: { replicated: { replicas: 1 } },
  task: makeTask('t', { constraints, preferences }).spec,
  endpoint: { ports: [] },
});

const validate = (...constraints: string[]) => hooks.service.validate.call(spec(constraints));
const validatePrefs = (...preferences: string[]) => hooks.service.validate.call(spec([], preferences));
const EXPECTED_KEYS = 'node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.ip, node.runtime, node.labels.<key>, engine.labels.<key>';

describe('service.validate', () => {
  it('accepts the built-in keys', () => {
    expect(
      validate('node.id==abc', 'node.hostname!=x', 'NODE.ROLE==manager', 'node.platform.os==linux', 'node.platform.arch==x86_64', 'node.ip==10.0.0.0/8', 'node.labels.zone==a', 'engine.labels.a.b==c'),
    ).toBeUndefined();
    expect(validate()).toBeUndefined();
  });

  it('refuses an unknown key, naming the field and the known keys', () => {
    expect(validate('node.role==worker', 'node.foo==bar')).toBe(
      `invalid task.placement.constraints[1]: unknown constraint key "node.foo" (expected ${EXPECTED_KEYS})`,
    );
  });

  it('accepts keys that other plugins add', () => {
    hooks.constraints.key.for('node.platform.gpu').tap('gpu', () => 'none');
    expect(validate('node.platform.gpu==none')).toBeUndefined();
  });

  it('refuses a node.ip that is neither an address nor a subnet', () => {
    for (const value of ['10.0.0', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/8', 'host-1']) {
      expect(validate(`node.ip==${value}`)).toMatch(/^invalid task\.placement\.constraints\[0\]: ".*" is not an IP address or CIDR subnet/);
    }
  });

  it('refuses a malformed expression', () => {
    expect(validate('zone')).toMatch(/^invalid task\.placement\.constraints\[0\]: "zone" is not a constraint/);
  });

  describe('placement preferences', () => {
    it('accepts spreading over any known node attribute', () => {
      expect(validatePrefs('node.labels.zone', 'engine.labels.rack', 'NODE.PLATFORM.ARCH', 'node.hostname')).toBeUndefined();
    });

    it('refuses an unknown attribute, naming the field and the known keys', () => {
      expect(validatePrefs('node.labels.zone', 'node.zone')).toBe(`invalid task.placement.preferences[1].spread: unknown node attribute "node.zone" (expected ${EXPECTED_KEYS})`);
    });

    it('accepts attributes that other plugins add', () => {
      hooks.constraints.key.for('node.platform.gpu').tap('gpu', () => 'none');
      expect(validatePrefs('node.platform.gpu')).toBeUndefined();
    });

    it('checks constraints first', () => {
      expect(hooks.service.validate.call(spec(['node.foo==x'], ['node.bar']))).toMatch(/^invalid task\.placement\.constraints\[0\]/);
    });
  });
});
