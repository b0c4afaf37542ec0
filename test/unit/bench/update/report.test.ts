import { goalLines, resultTable, runLine, summarize } from '../../../../bench/update/report';
import type { UpdateRun, UpdateSummary } from '../../../../bench/update/report';

const run = (commandMs: number, tasksMs: number, completedMs: number): UpdateRun => ({ commandMs, tasksMs, completedMs });
const summary = (system: string, tasksMs: number, completedMs: number): UpdateSummary => ({ system, runs: 3, commandMs: 100, tasksMs, completedMs });

describe('summarize', () => {
  it('takes the median of each figure on its own', () => {
    expect(summarize('orch', [run(300, 9000, 14000), run(100, 7000, 16000), run(200, 8000, 12000)])).toEqual({
      system: 'orch',
      runs: 3,
      commandMs: 200,
      tasksMs: 8000,
      completedMs: 14000,
    });
  });

  it('rounds the mean of the middle two over an even number of runs', () => {
    expect(summarize('swarm', [run(1, 1000, 2000), run(2, 1001, 2001)])).toMatchObject({ commandMs: 2, tasksMs: 1001, completedMs: 2001 });
  });

  it('refuses no runs at all, naming the system', () => {
    expect(() => summarize('swarm', [])).toThrow(/no runs of swarm/);
  });
});

describe('runLine', () => {
  it('shows the round and every figure', () => {
    expect(runLine(2, 3, 'orch', run(250, 6100, 11200))).toBe('round 2/3 orch       command 250 ms, all on the new spec 6100 ms, completed 11200 ms');
  });
});

describe('resultTable', () => {
  it('shows both systems and the ratios orch/peer', () => {
    const [header, orch, swarm, ratios] = resultTable({ ...summary('orch', 7000, 12000), commandMs: 300 }, { ...summary('swarm', 10000, 15000), commandMs: 150 });
    expect(header.split(/\s{2,}/)).toEqual(['system', 'runs', 'command ms', 'all on new spec ms', 'completed ms']);
    expect(orch.split(/\s{2,}/)).toEqual(['orch', '3', '300', '7000', '12000']);
    expect(swarm.split(/\s{2,}/)).toEqual(['swarm', '3', '150', '10000', '15000']);
    expect(ratios.split(/\s{2,}/)).toEqual(['orch/swarm', '2.00', '0.70', '0.80']);
  });

  it('lines the columns up', () => {
    const lines = resultTable(summary('orch', 7000, 12000), summary('swarm', 10000, 15000));
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});

describe('goalLines', () => {
  it('says met at a ratio of 0.7 and NOT met above, for each figure', () => {
    expect(goalLines(summary('orch', 7000, 10600), summary('swarm', 10000, 15000))).toEqual([
      'goal: all on new spec orch/swarm ≤ 0.70: 0.70 — met',
      'goal: update completed orch/swarm ≤ 0.70: 0.71 — NOT met',
    ]);
  });
});
