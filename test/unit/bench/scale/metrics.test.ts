import { activeRate, metricValue } from '../../../../bench/scale/metrics-text';
import { percentile } from '../../../../bench/scale/percentile';
import { groupsOf, HeldTasks, spreadPick } from '../../../../bench/scale/reschedule';

const PAGE = `# HELP orch_scheduler_tasks_placed_total Tasks the scheduler assigned to a node.
# TYPE orch_scheduler_tasks_placed_total counter
orch_scheduler_tasks_placed_total 1234
orch_scheduler_tasks_placed_total_extra 9
orch_scheduler_decision_duration_seconds_sum{} 0.5
orch_nodes{state="ready"} 3
`;

describe('metricValue', () => {
  it('reads an unlabelled sample by its exact name', () => {
    expect(metricValue(PAGE, 'orch_scheduler_tasks_placed_total')).toBe(1234);
    expect(metricValue(PAGE, 'orch_scheduler_decision_duration_seconds_sum')).toBe(0.5);
  });

  it('is undefined for a missing or labelled sample', () => {
    expect(metricValue(PAGE, 'orch_nope')).toBeUndefined();
    expect(metricValue(PAGE, 'orch_nodes')).toBeUndefined();
  });
});

describe('activeRate', () => {
  it('measures from just before the first rise to the first sample at the final value', () => {
    const samples = [0, 0, 0, 100, 300, 400, 400, 400].map((value, i) => ({ at: i * 500, value }));
    // 400 placed between t=1000 (last 0) and t=2500 (first 400): 1.5 s.
    expect(activeRate(samples)).toBeCloseTo(400 / 1.5);
  });

  it('is 0 for a counter that never rose or too few samples', () => {
    expect(activeRate([{ at: 0, value: 5 }, { at: 1000, value: 5 }])).toBe(0);
    expect(activeRate([{ at: 0, value: 5 }])).toBe(0);
  });
});

describe('percentile', () => {
  it('takes the nearest rank, in any order', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('spreadPick', () => {
  it('spreads the picks over the range', () => {
    expect(spreadPick(10, 3)).toEqual([0, 3, 6]);
    expect(spreadPick(1000, 100)).toHaveLength(100);
    expect(new Set(spreadPick(1000, 100)).size).toBe(100);
  });
});

describe('groupsOf', () => {
  it('cuts the items in groups of the size, the last one smaller', () => {
    expect(groupsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(groupsOf([], 5)).toEqual([]);
  });
});

describe('HeldTasks', () => {
  /** Tasks each node holds, and the groups asked about, in order. */
  function fake(held: Record<string, number>) {
    const asked: string[] = [];
    const count = async (nodes: readonly string[]) => {
      asked.push(nodes.join(','));
      return nodes.reduce((n, id) => n + (held[id] ?? 0), 0);
    };
    return { asked, count };
  }

  it('stops at the first group that holds a task and does not ask about emptied groups again', async () => {
    const held: Record<string, number> = { a: 0, b: 0, c: 2, d: 1 };
    const { asked, count } = fake(held);
    const tasks = new HeldTasks([['a', 'b'], ['c'], ['d']], count);
    expect(await tasks.any()).toBe(true);
    expect(asked).toEqual(['a,b', 'c']);
    held.c = 0;
    asked.length = 0;
    expect(await tasks.any()).toBe(true);
    expect(asked).toEqual(['c', 'd']);
  });

  it('says none only after asking every group again, and finds a task given to a group found empty before', async () => {
    const held: Record<string, number> = { a: 0, b: 1 };
    const { asked, count } = fake(held);
    const tasks = new HeldTasks([['a'], ['b']], count);
    expect(await tasks.any()).toBe(true);
    held.b = 0;
    held.a = 3; // a node killed but not yet DOWN was given a task
    asked.length = 0;
    expect(await tasks.any()).toBe(true);
    expect(asked).toEqual(['b', 'a']);
    held.a = 0;
    asked.length = 0;
    expect(await tasks.any()).toBe(false);
    expect(asked).toEqual(['a', 'b', 'a', 'b']);
  });
});
