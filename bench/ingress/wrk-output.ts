/** Reading what `wrk --latency` prints, and adding up wrk runs that ran side by side. */

/** The figures of one wrk run (or of several run at the same time, see {@link concurrentTotal}). */
export interface WrkResult {
  /** Completed requests per second. */
  readonly requestsPerSecond: number;
  /** 99th percentile latency, ms. */
  readonly p99Ms: number;
  /** Completed requests. */
  readonly requests: number;
  /** Socket errors (connect, read, write, timeout) plus responses that were not 2xx or 3xx. */
  readonly errors: number;
}

/** wrk's time units (format_time_us), in ms. */
const UNIT_MS: Readonly<Record<string, number>> = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

/** The first capture of `re` in `output`; throws naming `what` when it is missing. */
function capture(output: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(output);
  if (!m) throw new Error(`wrk output has no ${what}:\n${output}`);
  return m;
}

/**
 * Parses the output of `wrk --latency`: the `Requests/sec:` line, the 99% line of the latency
 * distribution, the request count and the error lines (absent when there were none).
 * @throws Error quoting the output when a required line is missing.
 */
export function parseWrkOutput(output: string): WrkResult {
  const rps = capture(output, /^Requests\/sec:\s+([\d.]+)\s*$/m, 'Requests/sec line');
  const p99 = capture(output, /^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$/m, '99% latency line (was --latency given?)');
  const requests = capture(output, /^\s*(\d+) requests in /m, 'request count');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const status = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const errors = (socket ? socket.slice(1, 5).reduce((a, b) => a + Number(b), 0) : 0) + (status ? Number(status[1]) : 0);
  return { requestsPerSecond: Number(rps[1]), p99Ms: Number(p99[1]) * UNIT_MS[p99[2]], requests: Number(requests[1]), errors };
}

/**
 * Several wrk runs made at the same time, each against its own backend, as one: rates, requests and
 * errors add up; the p99 is the largest of theirs, an upper bound of the p99 over all their requests
 * (no more than 1% of each run's requests took longer than its own p99).
 */
export function concurrentTotal(runs: readonly WrkResult[]): WrkResult {
  if (runs.length === 0) throw new Error('no wrk runs to add up');
  return {
    requestsPerSecond: runs.reduce((a, r) => a + r.requestsPerSecond, 0),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    requests: runs.reduce((a, r) => a + r.requests, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
  };
}
