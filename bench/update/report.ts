/** The results of the rolling-update benchmark: one line per run, the table of medians and the goals. */
import { median } from '../stats';
import { tableRow } from '../table';

/** orch's goal: at most this share of swarm mode's time, on both figures. */
export const GOAL_RATIO = 0.7;

/** One timed rolling update, every figure in ms from issuing the update command. */
export interface UpdateRun {
  /** Until the update command returned. */
  readonly commandMs: number;
  /** Until every replica ran the new spec. */
  readonly tasksMs: number;
  /** Until the service's update status said completed (after the monitor period). */
  readonly completedMs: number;
}

/** One system's runs, reduced to the median of each figure. */
export interface UpdateSummary {
  readonly system: string;
  readonly runs: number;
  readonly commandMs: number;
  readonly tasksMs: number;
  readonly completedMs: number;
}

/** The line printed for one run. */
export function runLine(round: number, rounds: number, system: string, r: UpdateRun): string {
  return `round ${round}/${rounds} ${system.padEnd(10)} command ${r.commandMs} ms, all on the new spec ${r.tasksMs} ms, completed ${r.completedMs} ms`;
}

/** The medians of each figure of `runs` (at least one). */
export function summarize(system: string, runs: readonly UpdateRun[]): UpdateSummary {
  if (runs.length === 0) throw new Error(`no runs of ${system} to summarize`);
  return {
    system,
    runs: runs.length,
    commandMs: median(runs.map((r) => r.commandMs)),
    tasksMs: median(runs.map((r) => r.tasksMs)),
    completedMs: median(runs.map((r) => r.completedMs)),
  };
}

const WIDTHS = [10, 4, 10, 18, 12];
const ratio = (a: number, b: number) => (a / b).toFixed(2);

/** The table: each system's medians, then the ratios orch/peer of each figure. */
export function resultTable(orch: UpdateSummary, peer: UpdateSummary): string[] {
  const line = (s: UpdateSummary) => tableRow([s.system, String(s.runs), String(s.commandMs), String(s.tasksMs), String(s.completedMs)], WIDTHS);
  return [
    tableRow(['system', 'runs', 'command ms', 'all on new spec ms', 'completed ms'], WIDTHS),
    line(orch),
    line(peer),
    tableRow([`${orch.system}/${peer.system}`, '', ratio(orch.commandMs, peer.commandMs), ratio(orch.tasksMs, peer.tasksMs), ratio(orch.completedMs, peer.completedMs)], WIDTHS),
  ];
}

/** Whether orch meets the goal against the peer, one line for all replicas on the new spec and one for completed. */
export function goalLines(orch: UpdateSummary, peer: UpdateSummary): string[] {
  const goal = (what: string, a: number, b: number) => `goal: ${what} ${orch.system}/${peer.system} ≤ ${GOAL_RATIO.toFixed(2)}: ${ratio(a, b)} — ${a / b <= GOAL_RATIO ? 'met' : 'NOT met'}`;
  return [goal('all on new spec', orch.tasksMs, peer.tasksMs), goal('update completed', orch.completedMs, peer.completedMs)];
}
