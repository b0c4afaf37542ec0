import { engineLabelsOf, isGold, planServices, satisfies } from '../../../../bench/scale/plan';

describe('planServices', () => {
  it('splits the tasks as evenly as can be, the first services taking the remainder', () => {
    const plan = planServices(1003, 4);
    expect(plan.map((p) => p.replicas)).toEqual([251, 251, 251, 250]);
    expect(plan.map((p) => p.name)).toEqual(['scale-0', 'scale-1', 'scale-2', 'scale-3']);
  });

  it('constrains three services in four, on engine and node labels', () => {
    expect(planServices(8, 8, 'x').map((p) => p.constraints)).toEqual([
      ['engine.labels.zone==a'],
      ['node.labels.tier==gold'],
      ['engine.labels.zone!=d'],
      [],
      ['engine.labels.zone==a'],
      ['node.labels.tier==gold'],
      ['engine.labels.zone!=d'],
      [],
    ]);
  });

  it('gives every constrained service some eligible nodes among the first twenty', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => ({ engine: engineLabelsOf(i), node: isGold(i) ? { tier: 'gold' } : ({} as Record<string, string>) }));
    for (const p of planServices(4, 4)) expect(nodes.some((n) => satisfies(p.constraints, n.engine, n.node))).toBe(true);
  });
});

describe('satisfies', () => {
  it('checks == and != on engine and node labels; a missing label fails == and passes !=', () => {
    expect(satisfies(['engine.labels.zone==a'], { zone: 'a' }, {})).toBe(true);
    expect(satisfies(['engine.labels.zone==a'], { zone: 'b' }, {})).toBe(false);
    expect(satisfies(['node.labels.tier==gold'], {}, {})).toBe(false);
    expect(satisfies(['engine.labels.zone!=d'], {}, {})).toBe(true);
    expect(satisfies(['engine.labels.zone!=d', 'node.labels.tier==gold'], { zone: 'c' }, { tier: 'gold' })).toBe(true);
    expect(satisfies([], {}, {})).toBe(true);
  });

  it('refuses a constraint the plan does not make', () => {
    expect(() => satisfies(['node.role==manager'], {}, {})).toThrow('constraint "node.role==manager" is not one the scale plan makes');
  });
});
