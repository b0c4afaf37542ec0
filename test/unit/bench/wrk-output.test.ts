import { concurrentTotal, parseWrkOutput, type WrkResult } from '../../../bench/ingress/wrk-output';

/** What wrk 4.1 prints with --latency when every request succeeded. */
const CLEAN = `Running 5s test @ http://127.0.0.1:41429/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.73ms    1.01ms  40.14ms   93.61%
    Req/Sec     9.72k   610.20    10.60k    78.00%
  Latency Distribution
     50%    1.55ms
     75%    1.92ms
     90%    2.49ms
     99%    5.37ms
  96713 requests in 5.00s, 13.60MB read
Requests/sec:  19338.42
Transfer/sec:      2.72MB
`;

/** The same with error lines, and a p99 in microseconds. */
const WITH_ERRORS = CLEAN.replace('     99%    5.37ms', '     99%  812.00us').replace(
  'Requests/sec:',
  '  Socket errors: connect 1, read 2, write 3, timeout 4\n  Non-2xx or 3xx responses: 5\nRequests/sec:',
);

describe('parseWrkOutput', () => {
  it('reads req/s, the p99 and the request count', () => {
    expect(parseWrkOutput(CLEAN)).toEqual({ requestsPerSecond: 19338.42, p99Ms: 5.37, requests: 96713, errors: 0 });
  });

  it('converts the p99 from wrk\'s unit to ms', () => {
    expect(parseWrkOutput(WITH_ERRORS).p99Ms).toBeCloseTo(0.812, 9);
    expect(parseWrkOutput(CLEAN.replace('5.37ms', '1.20s')).p99Ms).toBeCloseTo(1200, 9);
  });

  it('counts socket errors and non-2xx/3xx responses as errors', () => {
    expect(parseWrkOutput(WITH_ERRORS).errors).toBe(15);
  });

  it('refuses output without a latency distribution, quoting it', () => {
    const noLatency = CLEAN.replace(/  Latency Distribution[\s\S]*?99%.*\n/, '');
    expect(() => parseWrkOutput(noLatency)).toThrow(/99% latency line[\s\S]*Requests\/sec/);
  });

  it('refuses output without a Requests/sec line', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(/Requests\/sec/);
  });
});

describe('concurrentTotal', () => {
  const run = (requestsPerSecond: number, p99Ms: number, errors = 0): WrkResult => ({ requestsPerSecond, p99Ms, requests: requestsPerSecond * 5, errors });

  it('adds rates, requests and errors up and keeps the largest p99', () => {
    expect(concurrentTotal([run(100, 2), run(200, 7, 1), run(300, 3, 2)])).toEqual({ requestsPerSecond: 600, p99Ms: 7, requests: 3000, errors: 3 });
  });

  it('refuses an empty list', () => {
    expect(() => concurrentTotal([])).toThrow();
  });
});
