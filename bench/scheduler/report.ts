import { tableRow } from '../table';

/** The scheduler's goal on this machine: placements per second. */
export const GOAL_PLACEMENTS_PER_S = 50_000;

/** One scheduler in one scenario: placements made, decisions, and how long deciding took. */
export interface SchedulerResult {
  readonly scheduler: string;
  readonly scenario: string;
  readonly placed: number;
  readonly decisions: number;
  readonly ms: number;
}

/** Placements per second of a result (decisions that placed a task). */
export const rate = (r: SchedulerResult): number => (r.ms > 0 ? Math.round((r.placed / r.ms) * 1000) : 0);

/** The results as a table, one row per scheduler and scenario, and the goal line for `goalScheduler`. */
export function resultTable(results: readonly SchedulerResult[], goalScheduler: string): string {
  const header = ['scheduler / scenario', 'placed', 'ms', 'placements/s'];
  const rows = results.map((r) => [`${r.scheduler} / ${r.scenario}`, String(r.placed), String(Math.round(r.ms)), String(rate(r))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const lines = [header, ...rows].map((cells) => tableRow(cells, widths));
  const mine = results.filter((r) => r.scheduler === goalScheduler);
  const worst = mine.length > 0 ? Math.min(...mine.map(rate)) : 0;
  const verdict = worst >= GOAL_PLACEMENTS_PER_S ? 'met' : 'not met';
  return `${lines.join('\n')}\n\ngoal: ${goalScheduler} ≥ ${GOAL_PLACEMENTS_PER_S} placements/s in every scenario: slowest ${worst} — ${verdict}\n`;
}
