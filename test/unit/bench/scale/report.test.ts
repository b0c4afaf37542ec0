import { FULL_SIZE } from '../../../../bench/scale/options';
import { endToEndRate, formatReport, type ScaleResult } from '../../../../bench/scale/report';

const RESULT: ScaleResult = {
  options: { ...FULL_SIZE, nodes: 100, tasks: 5000, kill: 10 },
  joinMs: 4000,
  createMs: 3000,
  convergeMs: 2500,
  placementsPerSecond: 2100,
  decisionsPerSecond: 60000,
  listMs: [10, 20, 30],
  createLatencyMs: [5, 6],
  rssBytes: [300 * 1024 ** 2, 200 * 1024 ** 2, 200 * 1024 ** 2],
  walBytes: 50 * 1024 ** 2,
  snapshotBytes: 8 * 1024 ** 2,
  benchRssBytes: 400 * 1024 ** 2,
  rescheduleMs: 2700,
  rescheduledTasks: 500,
  errors: [],
  elections: 0,
};

describe('the scale report', () => {
  it('rates tasks from the last create until all ran', () => {
    expect(endToEndRate(RESULT)).toBe(2000);
  });

  it('prints a table, then the rate on a line of its own', () => {
    const lines = formatReport(RESULT);
    expect(lines[lines.length - 1]).toBe('2000 tasks/s');
    expect(lines[lines.length - 2]).toBe('');
    const text = lines.join('\n');
    expect(text).toMatch(/dispatcher heartbeat \/ election timeout\s+1000 ms \/ 3000 ms/);
    expect(text).toMatch(/all RUNNING after last create\s+2\.5 s/);
    expect(text).toMatch(/all RUNNING after first create\s+5\.5 s \(909 tasks\/s\)/);
    expect(text).toMatch(/service ls p50 \/ p99\s+20 ms \/ 30 ms \(3 calls\)/);
    expect(text).toMatch(/manager RSS \(leader first\)\s+300 MB, 200 MB, 200 MB/);
    expect(text).toMatch(/rescheduled after killing 10 nodes\s+2\.7 s \(500 tasks; heartbeat x 3 = 3\.0 s, target <= 8\.0 s\)/);
    expect(text).toMatch(/bench process RSS \(all sim nodes\)\s+400 MB \(4096 KB\/node\)/);
  });

  it('counts the calls that failed, showing the first', () => {
    expect(formatReport({ ...RESULT, errors: ['service ls: timed out', 'x'] }).join('\n')).toMatch(/control calls failed under load\s+2 \(first: service ls: timed out\)/);
  });

  it('says n/a for latencies it has none of', () => {
    expect(formatReport({ ...RESULT, listMs: [] }).join('\n')).toMatch(/service ls p50 \/ p99\s+n\/a \/ n\/a \(0 calls\)/);
  });
});
