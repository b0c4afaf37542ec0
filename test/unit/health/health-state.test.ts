import { afterProbe, effectiveHealthcheck, INITIAL_HEALTH, probeOf } from '../../../core/agent/health-state';
import type { HealthConfig } from '../../../core/model/types';

const config = (over: Partial<HealthConfig> = {}): HealthConfig => ({ test: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 500, retries: 3, startPeriodMs: 0, ...over });

describe('afterProbe', () => {
  it('turns healthy on the first success, and says so once', () => {
    const first = afterProbe(INITIAL_HEALTH, true, 10, config());
    expect(first.verdict).toBe('healthy');
    expect(afterProbe(first.state, true, 20, config()).verdict).toBe('unchanged');
  });

  it('turns unhealthy after `retries` failures in a row, and a success in between starts the count again', () => {
    let s = INITIAL_HEALTH;
    const verdicts: string[] = [];
    for (const ok of [false, false, true, false, false, false]) {
      const r = afterProbe(s, ok, 10_000, config());
      s = r.state;
      verdicts.push(r.verdict);
    }
    expect(verdicts).toEqual(['unchanged', 'unchanged', 'healthy', 'unchanged', 'unchanged', 'unhealthy']);
  });

  it('does not count failures in the start period, unless the task was healthy once', () => {
    const c = config({ retries: 1, startPeriodMs: 5000 });
    expect(afterProbe(INITIAL_HEALTH, false, 1000, c).verdict).toBe('unchanged');
    expect(afterProbe(INITIAL_HEALTH, false, 6000, c).verdict).toBe('unhealthy');
    const healthy = afterProbe(INITIAL_HEALTH, true, 1000, c).state;
    expect(afterProbe(healthy, false, 2000, c).verdict).toBe('unhealthy');
  });
});

describe('probeOf', () => {
  it('maps each test form to its checker kind and target', () => {
    expect(probeOf(config({ test: ['CMD', 'curl', '-f', 'x'] }))).toEqual({ kind: 'exec', target: ['curl', '-f', 'x'], timeoutMs: 500 });
    expect(probeOf(config({ test: ['CMD-SHELL', 'test -f /ok'] }))).toEqual({ kind: 'exec', target: ['/bin/sh', '-c', 'test -f /ok'], timeoutMs: 500 });
    expect(probeOf(config({ test: ['HTTP', '8080', '/healthz'] }))).toEqual({ kind: 'http', target: ['8080', '/healthz'], timeoutMs: 500 });
    expect(probeOf(config({ test: ['TCP', '5432'] }))).toEqual({ kind: 'tcp', target: ['5432'], timeoutMs: 500 });
    expect(probeOf(config({ test: ['NONE'] }))).toBeUndefined();
  });
});

describe('effectiveHealthcheck', () => {
  it("prefers the spec's check, falls back on the image's, and NONE turns both off", () => {
    const spec = config({ test: ['TCP', '80'] });
    const image = config({ test: ['CMD-SHELL', 'true'] });
    expect(effectiveHealthcheck(spec, image)).toBe(spec);
    expect(effectiveHealthcheck(undefined, image)).toBe(image);
    expect(effectiveHealthcheck(config({ test: ['NONE'] }), image)).toBeUndefined();
    expect(effectiveHealthcheck(undefined, undefined)).toBeUndefined();
  });
});
