import { healthcheckOf } from '../../../cli/health-flags';
import { UsageError } from '../../../cli/errors';

describe('health check flags', () => {
  it('builds each kind of check with its timings', () => {
    expect(healthcheckOf({ healthCmd: 'test -f /ok', healthInterval: '2s', healthRetries: '5' })).toEqual({ test: ['CMD-SHELL', 'test -f /ok'], intervalMs: 2000, retries: 5 });
    expect(healthcheckOf({ healthHttp: '8080/healthz', healthTimeout: '1s' })).toEqual({ test: ['HTTP', '8080', '/healthz'], timeoutMs: 1000 });
    expect(healthcheckOf({ healthHttp: '80' })).toEqual({ test: ['HTTP', '80', '/'] });
    expect(healthcheckOf({ healthTcp: '5432', healthStartPeriod: '10s' })).toEqual({ test: ['TCP', '5432'], startPeriodMs: 10_000 });
    expect(healthcheckOf({ healthcheck: false })).toEqual({ test: ['NONE'] });
    expect(healthcheckOf({ healthcheck: true })).toBeUndefined();
  });

  it('refuses two checks, timings without a check, and bad values, naming the flag', () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof UsageError ? err.message : `not a usage error: ${String(err)}`;
      }
      return 'accepted';
    };
    expect(refusal(() => healthcheckOf({ healthCmd: 'x', healthTcp: '80' }))).toMatch(/--health-tcp.*--health-cmd/);
    expect(refusal(() => healthcheckOf({ healthcheck: false, healthInterval: '1s' }))).toMatch(/--no-healthcheck/);
    expect(refusal(() => healthcheckOf({ healthInterval: '1s' }))).toMatch(/--health-interval.*need a check/);
    expect(refusal(() => healthcheckOf({ healthHttp: 'healthz' }))).toMatch(/--health-http.*PORT\[\/PATH\]/);
    expect(refusal(() => healthcheckOf({ healthCmd: 'x', healthRetries: 'many' }))).toMatch(/--health-retries/);
  });
});
