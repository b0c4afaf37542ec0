import { interpolate } from '../../../../cli/stack/interpolate';
import { errorOf } from './helpers';

const vars: Record<string, string> = { TAG: '1.2', EMPTY: '', NAME: 'web' };
const lookup = (n: string) => vars[n];
const one = (text: string) => interpolate({ v: text }, lookup).value as { v: string };

describe('interpolate', () => {
  it.each([
    ['image:$TAG', 'image:1.2'],
    ['image:${TAG}', 'image:1.2'],
    ['${NAME}-${TAG}', 'web-1.2'],
    ['${MISSING:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${MISSING-def}', 'def'],
    ['${TAG:-def}', '1.2'],
    ['${MISSING:-${NAME}x}', 'webx'],
    ['${TAG:?needed}', '1.2'],
    ['${EMPTY?needed}', ''],
    ['cost $$5 and $${TAG}', 'cost $5 and ${TAG}'],
    ['no variables', 'no variables'],
  ])('%s → %s', (text, expected) => {
    expect(one(text).v).toBe(expected);
  });

  it('reads an unset variable as empty and reports it', () => {
    const r = interpolate({ a: ['$NOPE', '${NOPE}', '$TAG'] }, lookup);
    expect(r.value).toEqual({ a: ['', '', '1.2'] });
    expect(r.unset).toEqual(['NOPE']);
  });

  it('fails on a missing required variable, naming the path and the message', () => {
    expect(errorOf(() => interpolate({ services: { web: { image: 'x:${TAG2:?set TAG2 first}' } } }, lookup))).toBe('invalid services.web.image: required variable TAG2 is missing a value: set TAG2 first');
    expect(errorOf(() => interpolate({ v: '${EMPTY:?}' }, lookup))).toBe('invalid v: required variable EMPTY is missing a value');
    expect(errorOf(() => interpolate({ v: '${MISSING?gone}' }, lookup))).toBe('invalid v: required variable MISSING is missing a value: gone');
  });

  it('refuses a malformed $, naming the path', () => {
    for (const bad of ['${TAG', '${}', '$1', 'a $ b', '${1X}', 'end$']) {
      expect(errorOf(() => interpolate({ s: [bad] }, lookup))).toMatch(/^invalid s\[0\]: invalid interpolation format in ".*": use \$\$ for a literal \$$/);
    }
  });

  it('leaves keys, numbers and booleans alone', () => {
    expect(interpolate({ $KEY: 3, b: true, c: null }, lookup).value).toEqual({ $KEY: 3, b: true, c: null });
  });
});
