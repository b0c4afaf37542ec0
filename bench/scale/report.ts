import { tableRow } from '../table';
import type { ScaleOptions } from './options';
import { percentile } from './percentile';

/** What a scale run measured. */
export interface ScaleResult {
  readonly options: ScaleOptions;
  /** How long the simulated nodes took to join, all of them (ms). */
  readonly joinMs: number;
  /** From the first service create to the last (ms). */
  readonly createMs: number;
  /** From the last create until every task ran (ms). */
  readonly convergeMs: number;
  /** Scheduler placements per second while the scheduler placed (leader's counter). */
  readonly placementsPerSecond: number;
  /** Tasks placed per second of scheduler decision time (without the store writes). */
  readonly decisionsPerSecond: number;
  /** `service ls` latencies during the load (ms). */
  readonly listMs: readonly number[];
  /** `service create` latencies during the load (ms). */
  readonly createLatencyMs: readonly number[];
  /** Each manager's resident set (bytes) once converged, the leader first. */
  readonly rssBytes: readonly number[];
  /** The leader's Raft WAL and snapshot bytes on disk once converged. */
  readonly walBytes: number;
  readonly snapshotBytes: number;
  /** This process's resident set (bytes) with every simulated node in it. */
  readonly benchRssBytes: number;
  /** From killing `options.kill` nodes until their tasks all ran elsewhere (ms). */
  readonly rescheduleMs: number;
  /** Tasks the killed nodes ran. */
  readonly rescheduledTasks: number;
  /** Raft terms that began during the run (leader elections; 0 when leadership never moved). */
  readonly elections: number;
  /** Control calls that failed during the load (they count in the latencies until they failed). */
  readonly errors: readonly string[];
}

/** Tasks per second from the last create until all ran. */
export function endToEndRate(r: Pick<ScaleResult, 'options' | 'convergeMs'>): number {
  return r.convergeMs > 0 ? (r.options.tasks * 1000) / r.convergeMs : Number.POSITIVE_INFINITY;
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(0)} ms`);
const s = (v: number) => `${(v / 1000).toFixed(1)} s`;

/** The report: a two-column table, then the end-to-end rate on a line of its own. Pure. */
export function formatReport(r: ScaleResult): string[] {
  const o = r.options;
  const graceMs = 3 * o.heartbeatMs;
  const rows: [string, string][] = [
    ['simulated nodes / services / tasks', `${o.nodes} / ${o.services} / ${o.tasks}`],
    ['dispatcher heartbeat / election timeout', `${o.heartbeatMs} ms / ${o.electionTick * 100} ms`],
    ['leader elections during the run', String(r.elections)],
    ['nodes joined in', s(r.joinMs)],
    ['services created in', s(r.createMs)],
    ['all RUNNING after last create', s(r.convergeMs)],
    ['end-to-end rate (from last create)', `${endToEndRate(r).toFixed(0)} tasks/s`],
    ['all RUNNING after first create', `${s(r.createMs + r.convergeMs)} (${((o.tasks * 1000) / (r.createMs + r.convergeMs)).toFixed(0)} tasks/s)`],
    ['scheduler placements (incl. writes)', `${r.placementsPerSecond.toFixed(0)} /s`],
    ['scheduler decisions (no writes)', `${r.decisionsPerSecond.toFixed(0)} /s`],
    ['service ls p50 / p99', `${ms(percentile(r.listMs, 50))} / ${ms(percentile(r.listMs, 99))} (${r.listMs.length} calls)`],
    ['service create p50 / p99', `${ms(percentile(r.createLatencyMs, 50))} / ${ms(percentile(r.createLatencyMs, 99))} (${r.createLatencyMs.length} calls)`],
    ['manager RSS (leader first)', r.rssBytes.map(mb).join(', ')],
    ['leader Raft WAL / snapshots', `${mb(r.walBytes)} / ${mb(r.snapshotBytes)}`],
    ['bench process RSS (all sim nodes)', `${mb(r.benchRssBytes)} (${((r.benchRssBytes / o.nodes) / 1024).toFixed(0)} KB/node)`],
    [`rescheduled after killing ${o.kill} nodes`, `${s(r.rescheduleMs)} (${r.rescheduledTasks} tasks; heartbeat x 3 = ${s(graceMs)}, target <= ${s(graceMs + 5000)})`],
  ];
  if (r.errors.length > 0) rows.push(['control calls failed under load', `${r.errors.length} (first: ${r.errors[0]})`]);
  const widths = [Math.max(...rows.map((x) => x[0].length)), Math.max(...rows.map((x) => x[1].length))];
  return [...rows.map((x) => tableRow(x, widths).trimEnd()), '', `${endToEndRate(r).toFixed(0)} tasks/s`];
}
