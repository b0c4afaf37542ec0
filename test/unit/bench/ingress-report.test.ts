import { goalLines, resultTable, summarize } from '../../../bench/ingress/report';
import type { PathRun } from '../../../bench/ingress/report';

const run = (requestsPerSecond: number, p99Ms: number, errors = 0, proxyCpuUs?: number): PathRun => ({ requestsPerSecond, p99Ms, requests: 0, errors, proxyCpuUs });

describe('summarize', () => {
  it('takes the median of req/s and of p99 separately and sums errors', () => {
    expect(summarize('mesh', [run(100, 9), run(300, 1, 2), run(200, 5, 1)])).toEqual({ path: 'mesh', requestsPerSecond: 200, p99Ms: 5, errors: 3 });
  });

  it('keeps the p99 to the microsecond over an even number of rounds', () => {
    expect(summarize('mesh', [run(100, 1.2), run(100, 1.25)]).p99Ms).toBeCloseTo(1.225, 9);
  });

  it('takes the median proxy CPU of runs through a proxy, and has none without', () => {
    expect(summarize('mesh', [run(1, 1, 0, 30.5), run(1, 1, 0, 29.25), run(1, 1, 0, 31)]).proxyCpuUs).toBeCloseTo(30.5, 9);
    expect(summarize('direct', [run(1, 1)])).not.toHaveProperty('proxyCpuUs');
  });
});

describe('goalLines', () => {
  const haproxy = { path: 'haproxy', requestsPerSecond: 1000, p99Ms: 10, errors: 0 };

  it('says met when the mesh has 0.8 of the req/s and at most 1 ms more p99', () => {
    expect(goalLines({ path: 'mesh', requestsPerSecond: 800, p99Ms: 11, errors: 0 }, haproxy)).toEqual([
      expect.stringMatching(/0\.80 × — met$/),
      expect.stringMatching(/\+1\.00 ms — met$/),
    ]);
  });

  it('says NOT met below 0.8 of the req/s or over 1 ms more p99', () => {
    expect(goalLines({ path: 'mesh', requestsPerSecond: 799, p99Ms: 11.01, errors: 0 }, haproxy)).toEqual([
      expect.stringMatching(/NOT met$/),
      expect.stringMatching(/NOT met$/),
    ]);
  });
});

describe('resultTable', () => {
  it('shows each path against the peer', () => {
    const peer = { path: 'haproxy', requestsPerSecond: 1000, p99Ms: 10, errors: 0 };
    const [header, mesh, direct] = resultTable([{ path: 'mesh', requestsPerSecond: 900, p99Ms: 12.5, errors: 3, proxyCpuUs: 30.04 }, { path: 'direct', requestsPerSecond: 2000, p99Ms: 9, errors: 0 }], peer);
    expect(header).toMatch(/^path\s+req\/s\s+p99 ms/);
    expect(mesh.split(/\s{2,}/)).toEqual(['mesh', '900', '12.50', '0.90', '+2.50', '30.0', '3']);
    expect(direct.split(/\s{2,}/)).toEqual(['direct', '2000', '9.00', '2.00', '-1.00', '-', '0']);
  });
});
