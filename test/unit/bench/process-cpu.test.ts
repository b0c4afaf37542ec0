import { parseStatTicks } from '../../../bench/ingress/process-cpu';

describe('parseStatTicks', () => {
  it('adds utime and stime', () => {
    const stat = '28329 (node) S 1 28329 28329 0 -1 4194560 51802 0 0 0 1570 612 0 0 20 0 11 0 1883344 1364076544 24000 18446744073709551615';
    expect(parseStatTicks(stat)).toBe(2182);
  });

  it('copes with spaces and parentheses in the command name', () => {
    const stat = '42 (my (odd) proc) R 1 42 42 0 -1 0 0 0 0 0 7 5 0 0 20 0 1 0 100 0 0';
    expect(parseStatTicks(stat)).toBe(12);
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseStatTicks('nonsense')).toThrow(/CPU times/);
  });
});
