import type { Labels } from '../../core/model/types';

/** Engine label (`engine.labels.zone`) node `i` joins with: zones a, b, c, d in turn. */
export function zoneOf(i: number): string {
  return 'abcd'[i % 4];
}

/** Whether node `i` gets the node label `tier=gold` (after joining, with NodeUpdate): every fifth node. */
export function isGold(i: number): boolean {
  return i % 5 === 0;
}

/** The engine labels node `i` joins with. */
export function engineLabelsOf(i: number): Labels {
  return { zone: zoneOf(i) };
}

/** One service of the workload. */
export interface PlannedService {
  readonly name: string;
  readonly replicas: number;
  /** Placement constraints (swarm syntax). */
  readonly constraints: readonly string[];
}

/**
 * `tasks` replicas over `services` services, as even as can be (the first ones take the remainder). Every
 * fourth service runs only in zone a (an engine label), every fourth from the second only on gold nodes (a
 * node label), and every fourth from the third anywhere but zone d; the rest anywhere. Pure.
 */
export function planServices(tasks: number, services: number, prefix = 'scale'): PlannedService[] {
  const base = Math.floor(tasks / services);
  const extra = tasks % services;
  const constraintsOf = (i: number): string[] => [['engine.labels.zone==a'], ['node.labels.tier==gold'], ['engine.labels.zone!=d'], []][i % 4];
  return Array.from({ length: services }, (_, i) => ({ name: `${prefix}-${i}`, replicas: base + (i < extra ? 1 : 0), constraints: constraintsOf(i) }));
}

/**
 * Whether a node with these engine and node labels may run a task with `constraints` (the ones
 * {@link planServices} uses: `==` and `!=` on `engine.labels.*` and `node.labels.*`). Pure.
 * @throws Error on any other constraint.
 */
export function satisfies(constraints: readonly string[], engine: Labels, node: Labels): boolean {
  return constraints.every((c) => {
    const m = /^(engine|node)\.labels\.([\w.-]+)\s*(==|!=)\s*(.+)$/.exec(c);
    if (!m) throw new Error(`constraint "${c}" is not one the scale plan makes`);
    const value = (m[1] === 'engine' ? engine : node)[m[2]];
    return m[3] === '==' ? value === m[4] : value !== m[4];
  });
}
