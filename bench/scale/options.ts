import { parseBenchArgs } from '../stats';

/** The size of a scale run (`--nodes N --tasks M --services S --kill K --heartbeat-ms H --election-tick T`). */
export interface ScaleOptions {
  /** Simulated nodes. */
  readonly nodes: number;
  /** Tasks in all, over `services` replicated services. */
  readonly tasks: number;
  readonly services: number;
  /** Simulated nodes killed in the rescheduling phase. */
  readonly kill: number;
  /** The dispatcher heartbeat period the cluster is made with (`--dispatcher-heartbeat`). */
  readonly heartbeatMs: number;
  /**
   * Raft election ticks (100 ms each, `swarm update --election-tick`). The cluster's default, 10 (1 s), lets
   * leadership move under this load on 2 cores, which fails writes in flight; the run uses 30 unless told.
   */
  readonly electionTick: number;
}

/** The full size of issue 9: 1,000 nodes, 100,000 tasks in 100 services, 100 nodes killed. */
export const FULL_SIZE: ScaleOptions = { nodes: 1000, tasks: 100_000, services: 100, kill: 100, heartbeatMs: 1000, electionTick: 30 };

/**
 * Reads the command line over {@link FULL_SIZE}. A smaller `--nodes` or `--tasks` without `--services` or
 * `--kill` scales those down too (at most 100 services, at least 10 tasks each; a tenth of the nodes killed,
 * at most 100). Pure.
 * @throws Error naming the flag that is off.
 */
export function parseScaleOptions(argv: readonly string[]): ScaleOptions {
  const given = new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2)));
  const { heartbeatMs, electionTick, ...sizes } = FULL_SIZE;
  const raw = parseBenchArgs(argv, { ...sizes, 'heartbeat-ms': heartbeatMs, 'election-tick': electionTick });
  const services = given.has('services') ? raw.services : Math.max(1, Math.min(FULL_SIZE.services, Math.floor(raw.tasks / 10)));
  const kill = given.has('kill') ? raw.kill : Math.max(1, Math.min(FULL_SIZE.kill, Math.floor(raw.nodes / 10)));
  if (services > raw.tasks) throw new Error(`invalid argument --services ${services}: more services than tasks (${raw.tasks})`);
  if (kill >= raw.nodes) throw new Error(`invalid argument --kill ${kill}: at least one of the ${raw.nodes} nodes must live`);
  return { nodes: raw.nodes, tasks: raw.tasks, services, kill, heartbeatMs: raw['heartbeat-ms'], electionTick: raw['election-tick'] };
}
