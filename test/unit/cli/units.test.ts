import { UsageError } from '../../../cli/errors';
import { parseBytes, parseCount, parseDurationMs, parseNanoCpus } from '../../../cli/format/units';

describe('parseCount', () => {
  it.each([
    ['0', 0],
    ['3', 3],
    ['100000', 100000],
  ])('%s → %d', (text, n) => expect(parseCount(text, '--replicas')).toBe(n));

  it.each(['-1', 'abc', '1.5', '', ' 1', '1e3', '99999999999999999999'])('refuses %j naming the flag', (text) => {
    expect(() => parseCount(text, '--replicas')).toThrow(new UsageError('--replicas', `expected a non-negative integer, got "${text}"`));
  });
});

describe('parseBytes', () => {
  it.each([
    ['1024b', 1024],
    ['1024', 1024],
    ['100k', 100 * 1024],
    ['512m', 512 * 1024 ** 2],
    ['512M', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['1gb', 1024 ** 3],
    ['1.5g', 1.5 * 1024 ** 3],
    ['2t', 2 * 1024 ** 4],
  ])('%s → %d bytes', (text, n) => expect(parseBytes(text, '--limit-memory')).toBe(n));

  it.each(['', 'abc', '-1m', '1x', '1 g b', 'm'])('refuses %j naming the flag', (text) => {
    expect(() => parseBytes(text, '--limit-memory')).toThrow(/^invalid --limit-memory: expected a size such as 512m/);
  });
});

describe('parseNanoCpus', () => {
  it.each([
    ['0.5', 500_000_000],
    ['2', 2_000_000_000],
    ['.25', 250_000_000],
    ['1.000000001', 1_000_000_001],
    ['0', 0],
  ])('%s → %d nano-CPUs', (text, n) => expect(parseNanoCpus(text, '--limit-cpu')).toBe(n));

  it.each(['', 'half', '-1', '1.0000000001', '1,5'])('refuses %j naming the flag', (text) => {
    expect(() => parseNanoCpus(text, '--limit-cpu')).toThrow(/^invalid --limit-cpu: expected a number of CPUs/);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['0', 0],
    ['500ms', 500],
    ['5s', 5000],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['2h45m', 9_900_000],
    ['1500us', 2],
    ['100ns', 0],
    ['.5m', 30_000],
  ])('%s → %d ms', (text, ms) => expect(parseDurationMs(text, '--restart-delay')).toBe(ms));

  it.each(['', '5', '-5s', '5 s', '5x', 's', '1m30', '1d'])('refuses %j naming the flag', (text) => {
    expect(() => parseDurationMs(text, '--restart-delay')).toThrow(/^invalid --restart-delay: expected a duration such as 500ms, 5s, 1m30s or 1h/);
  });
});
