import { rate, resultTable } from '../../../../bench/scheduler/report';
import { clusterNodes, scenarios, taskGroups } from '../../../../bench/scheduler/workload';

describe('bench/scheduler report', () => {
  const r = (scheduler: string, scenario: string, placed: number, ms: number) => ({ scheduler, scenario, placed, decisions: placed, ms });

  it('computes placements per second and says whether the slowest scenario meets the goal', () => {
    expect(rate(r('s', 'plain', 1000, 10))).toBe(100_000);
    expect(rate(r('s', 'plain', 1000, 0))).toBe(0);
    const table = resultTable([r('scheduler-spread', 'plain', 100_000, 1000), r('scheduler-spread', 'zones', 100_000, 4000), r('binpack', 'plain', 10, 1000)], 'scheduler-spread');
    expect(table).toContain('scheduler-spread / zones');
    expect(table).toMatch(/goal: scheduler-spread ≥ 50000 placements\/s in every scenario: slowest 25000 — not met/);
  });

  it('builds the workload: nodes over four zones, one group per service', () => {
    expect(clusterNodes(8).map((n) => n.spec.labels.zone)).toEqual(['z0', 'z1', 'z2', 'z3', 'z0', 'z1', 'z2', 'z3']);
    const [plain, constrained] = scenarios(3, 8);
    expect(taskGroups(plain).map((g) => g.length)).toEqual([8, 8, 8]);
    expect(taskGroups(constrained)[0][0].spec.placement.constraints).toEqual(['node.labels.zone==z1']);
    expect(new Set(taskGroups(plain).map((g) => g[0].serviceId)).size).toBe(3);
  });
});
