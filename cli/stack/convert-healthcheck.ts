import { UsageError } from '../errors';
import { keyPath } from './paths';
import { count, duration, flag, mapping, words } from './values';

const TEST_KINDS = ['NONE', 'CMD', 'CMD-SHELL'];

/** `test` as a string (run by a shell) or a list starting with NONE, CMD or CMD-SHELL. */
function testOf(v: unknown, p: string): string[] {
  if (typeof v === 'string') return ['CMD-SHELL', v];
  const test = words(v, p);
  if (!TEST_KINDS.includes(test[0])) throw new UsageError(p, `expected a command string, or a list starting with ${TEST_KINDS.join(', ')}, got ${JSON.stringify(test)}`);
  return test;
}

/**
 * A service's `healthcheck` as a spec's health check: `test`, `interval`, `timeout`, `retries`,
 * `start_period`, or `disable: true` (no check, not even the image's). Undefined when it sets nothing
 * (the image's check applies). Timings without a test are refused: orch cannot keep the image's test
 * with other timings. Pure.
 * @param p the path of the healthcheck (`services.web.healthcheck`).
 * @throws UsageError naming the path of a bad value.
 */
export function convertHealthcheck(v: unknown, p: string): Record<string, unknown> | undefined {
  const o = mapping(v, p);
  const disabled = o.disable !== undefined && flag(o.disable, keyPath(p, 'disable'));
  const test = o.test === undefined ? undefined : testOf(o.test, keyPath(p, 'test'));
  if (disabled) {
    if (test !== undefined && test[0] !== 'NONE') throw new UsageError(keyPath(p, 'disable'), 'cannot be combined with a test');
    return { test: ['NONE'] };
  }
  const timings = {
    ...(o.interval !== undefined && { intervalMs: duration(o.interval, keyPath(p, 'interval')) }),
    ...(o.timeout !== undefined && { timeoutMs: duration(o.timeout, keyPath(p, 'timeout')) }),
    ...(o.retries !== undefined && { retries: count(o.retries, keyPath(p, 'retries')) }),
    ...(o.start_period !== undefined && { startPeriodMs: duration(o.start_period, keyPath(p, 'start_period')) }),
  };
  if (test === undefined) {
    if (Object.keys(timings).length > 0) throw new UsageError(keyPath(p, 'test'), "required with timings: orch cannot change only the timings of the image's health check");
    return undefined;
  }
  return test[0] === 'NONE' ? { test } : { test, ...timings };
}

