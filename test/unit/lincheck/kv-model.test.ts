import { kvModel, type KvInput, type KvOutput, type KvState } from '../../sim/lincheck/kv-model';

const step = (state: KvState, input: KvInput, output?: KvOutput) => kvModel.step(state, input, output);

describe('kvModel', () => {
  it('starts absent and partitions by key', () => {
    expect(kvModel.init()).toBeUndefined();
    expect(kvModel.partition!({ op: 'put', key: 'k', value: 'v' })).toBe('k');
  });

  it('accepts a get only with the value held, or with an unknown output', () => {
    expect(step('a', { op: 'get', key: 'k' }, { value: 'a' })).toEqual({ ok: true, state: 'a' });
    expect(step('a', { op: 'get', key: 'k' }, { value: 'b' })).toEqual({ ok: false });
    expect(step('a', { op: 'get', key: 'k' }, {})).toEqual({ ok: false });
    expect(step(undefined, { op: 'get', key: 'k' }, {})).toEqual({ ok: true, state: undefined });
    expect(step('a', { op: 'get', key: 'k' })).toEqual({ ok: true, state: 'a' });
  });

  it('always accepts a put', () => {
    expect(step('a', { op: 'put', key: 'k', value: 'b' }, {})).toEqual({ ok: true, state: 'b' });
    expect(step(undefined, { op: 'put', key: 'k', value: 'b' })).toEqual({ ok: true, state: 'b' });
  });

  it('writes with cas only when the key holds what it expects, absent included', () => {
    expect(step('a', { op: 'cas', key: 'k', expect: 'a', value: 'b' }, { ok: true })).toEqual({ ok: true, state: 'b' });
    expect(step('a', { op: 'cas', key: 'k', expect: 'a', value: 'b' }, { ok: false })).toEqual({ ok: false });
    expect(step('a', { op: 'cas', key: 'k', expect: 'z', value: 'b' }, { ok: false })).toEqual({ ok: true, state: 'a' });
    expect(step('a', { op: 'cas', key: 'k', expect: 'z', value: 'b' }, { ok: true })).toEqual({ ok: false });
    expect(step(undefined, { op: 'cas', key: 'k', expect: undefined, value: 'b' }, { ok: true })).toEqual({ ok: true, state: 'b' });
    expect(step('a', { op: 'cas', key: 'k', expect: 'a', value: 'b' })).toEqual({ ok: true, state: 'b' });
    expect(step('a', { op: 'cas', key: 'k', expect: 'z', value: 'b' })).toEqual({ ok: true, state: 'a' });
    expect(() => step('a', { op: 'cas', key: 'k', expect: 'a', value: 'b' }, {})).toThrow('cas output {} has no boolean "ok"');
  });

  it('keys states apart from every value, the empty string included', () => {
    expect(new Set([undefined, '', 'absent', '"a"'].map(kvModel.key)).size).toBe(4);
  });

  it('describes operations', () => {
    expect(kvModel.describe!({ op: 'get', key: 'k' }, {})).toBe('get(k) → absent');
    expect(kvModel.describe!({ op: 'put', key: 'k', value: 'v' }, {})).toBe('put(k, "v") → ok');
    expect(kvModel.describe!({ op: 'cas', key: 'k', expect: undefined, value: 'v' }, { ok: false })).toBe('cas(k, absent → "v") → false');
    expect(kvModel.describe!({ op: 'get', key: 'k' }, undefined)).toBe('get(k) → ?');
  });
});
