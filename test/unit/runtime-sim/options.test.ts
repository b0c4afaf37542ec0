import { drawDelay, drawFate, parseSimOptions } from '../../../plugins/runtime-sim';

/** Random numbers in turn, for exact fates. */
const seq = (...xs: number[]) => () => xs.shift() ?? 0;

describe('drawDelay', () => {
  it('is a fixed delay, or one drawn from [min, max] inclusive', () => {
    expect(drawDelay(30, seq(0.9))).toBe(30);
    expect(drawDelay([10, 20], seq(0))).toBe(10);
    expect(drawDelay([10, 20], seq(0.999))).toBe(20);
  });
});

describe('drawFate', () => {
  it('runs by default, at once', () => {
    expect(drawFate({}, seq(0.5, 0.5))).toEqual({ kind: 'run', startMs: 0 });
  });

  it('fails a fraction at start and lets a fraction exit later', () => {
    const o = { startDelayMs: [100, 200] as const, failAtStart: 0.1, exit: { fraction: 0.5, afterMs: 1000, code: 3 } };
    expect(drawFate(o, seq(0, 0.05))).toEqual({ kind: 'fail-start', startMs: 100 });
    expect(drawFate(o, seq(0, 0.2, 0.4))).toEqual({ kind: 'exit', startMs: 100, afterMs: 1000, code: 3 });
    expect(drawFate(o, seq(0, 0.2, 0.6))).toEqual({ kind: 'run', startMs: 100 });
  });
});

describe('parseSimOptions', () => {
  it('reads the options of a runtime-sim.json', () => {
    expect(parseSimOptions({ hostname: 'h', startDelayMs: [5, 10], failAtStart: 0.25, exit: { fraction: 1, afterMs: 50, code: 2 }, labels: { zone: 'a' } })).toEqual({
      hostname: 'h',
      startDelayMs: [5, 10],
      failAtStart: 0.25,
      exit: { fraction: 1, afterMs: 50, code: 2 },
      labels: { zone: 'a' },
    });
  });

  it('refuses what it does not know, naming the field', () => {
    expect(() => parseSimOptions([])).toThrow('options must be a JSON object');
    expect(() => parseSimOptions({ delay: 5 })).toThrow('unknown option "delay"');
    expect(() => parseSimOptions({ failAtStart: 2 })).toThrow('failAtStart must be a number from 0 to 1');
    expect(() => parseSimOptions({ startDelayMs: [20, 10] })).toThrow('startDelayMs must be a number of ms or [min, max]');
    expect(() => parseSimOptions({ exit: { fraction: 1, afterMs: 1 } })).toThrow('exit must be { fraction, afterMs, code }');
  });
});
