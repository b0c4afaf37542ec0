import { UsageError } from './errors';
import { parseCount, parseDurationMs } from './format/units';

/** The health check flags of `service create`, as docker names them (plus `--health-http` and `--health-tcp`). */
export interface HealthFlags {
  readonly healthCmd?: string;
  readonly healthHttp?: string;
  readonly healthTcp?: string;
  readonly healthInterval?: string;
  readonly healthTimeout?: string;
  readonly healthRetries?: string;
  readonly healthStartPeriod?: string;
  /** `--no-healthcheck` (commander sets `healthcheck: false`). */
  readonly healthcheck?: boolean;
}

const HTTP_FORM = 'expected PORT[/PATH], e.g. 8080/healthz';

/** `--health-http 8080/healthz` → `['HTTP', '8080', '/healthz']`. */
function httpTest(text: string): string[] {
  const m = /^(\d{1,5})(\/.*)?$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) throw new UsageError('--health-http', `"${text}" is not a port and path: ${HTTP_FORM}`);
  return ['HTTP', m[1], m[2] ?? '/'];
}

/**
 * The spec's `healthcheck` the flags ask for: undefined when they set none (the image's check applies),
 * `NONE` for `--no-healthcheck`. One kind of check at most; timings without a check are refused, as docker
 * refuses them.
 * @throws UsageError naming the flag.
 */
export function healthcheckOf(flags: HealthFlags): Record<string, unknown> | undefined {
  const kinds = [
    flags.healthCmd !== undefined && '--health-cmd',
    flags.healthHttp !== undefined && '--health-http',
    flags.healthTcp !== undefined && '--health-tcp',
    flags.healthcheck === false && '--no-healthcheck',
  ].filter((k): k is string => k !== false);
  if (kinds.length > 1) throw new UsageError(kinds[1], `cannot be combined with ${kinds[0]}: a service has one health check`);
  const timings = {
    ...(flags.healthInterval !== undefined && { intervalMs: parseDurationMs(flags.healthInterval, '--health-interval') }),
    ...(flags.healthTimeout !== undefined && { timeoutMs: parseDurationMs(flags.healthTimeout, '--health-timeout') }),
    ...(flags.healthRetries !== undefined && { retries: parseCount(flags.healthRetries, '--health-retries') }),
    ...(flags.healthStartPeriod !== undefined && { startPeriodMs: parseDurationMs(flags.healthStartPeriod, '--health-start-period') }),
  };
  if (flags.healthcheck === false) {
    if (Object.keys(timings).length > 0) throw new UsageError('--no-healthcheck', 'cannot be combined with --health-* options');
    return { test: ['NONE'] };
  }
  let test: string[] | undefined;
  if (flags.healthCmd !== undefined) test = ['CMD-SHELL', flags.healthCmd];
  else if (flags.healthHttp !== undefined) test = httpTest(flags.healthHttp);
  else if (flags.healthTcp !== undefined) test = ['TCP', String(parseCount(flags.healthTcp, '--health-tcp'))];
  if (!test) {
    if (Object.keys(timings).length > 0) throw new UsageError('--health-interval', 'health check timings need a check: --health-cmd, --health-http or --health-tcp');
    return undefined;
  }
  return { test, ...timings };
}
