import { healthConfigOf } from '../../../plugins/runtime-docker/image-puller';

describe("an image's HEALTHCHECK", () => {
  it('becomes a health config, nanoseconds to milliseconds, zeros taking the defaults', () => {
    expect(healthConfigOf({ Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 5e9, Timeout: 2e9, Retries: 4, StartPeriod: 1e10 })).toEqual({
      test: ['CMD-SHELL', 'curl -f localhost'],
      intervalMs: 5000,
      timeoutMs: 2000,
      retries: 4,
      startPeriodMs: 10_000,
    });
    expect(healthConfigOf({ Test: ['CMD', 'true'] })).toEqual({ test: ['CMD', 'true'], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 });
  });

  it('is none for an image without one, or with NONE', () => {
    expect(healthConfigOf(undefined)).toBeUndefined();
    expect(healthConfigOf({ Test: ['NONE'] })).toBeUndefined();
    expect(healthConfigOf({ Test: [] })).toBeUndefined();
  });
});
