import { shortId } from '../../core/model/ids';
import { groupBy } from '../../core/orchestrator/group-by';
import { wantsToRun } from '../../core/model/task-state';
import type { Task } from '../../core/model/types';
import { newestFirst, taskProblem } from '../views/task-status';

/** One line of the progress display; `key` identifies it across redraws (`overall progress`, `1/3`, a node id). */
export interface ProgressLine {
  readonly key: string;
  readonly text: string;
}

/** What the progress display shows at one moment, and whether the service has converged. */
export interface ProgressView {
  readonly lines: readonly ProgressLine[];
  readonly converged: boolean;
}

/** States a starting task goes through, in order; the bar fills by a task's place here. */
const PROGRESS_STATES = ['new', 'pending', 'assigned', 'preparing', 'ready', 'starting', 'running'] as const;
/** States shown at the place of another (accepted is just after assigned). */
const SAME_PLACE: Readonly<Record<string, string>> = { accepted: 'assigned' };
const BAR_WIDTH = 50;
const STATE_WIDTH = Math.max(...PROGRESS_STATES.map((s) => s.length));

/** `running   [==================================================>]`: the state and a bar filled by its place. */
export function stateBar(state: string): string | undefined {
  const place = PROGRESS_STATES.indexOf((SAME_PLACE[state] ?? state) as (typeof PROGRESS_STATES)[number]);
  if (place < 0) return undefined;
  const filled = Math.round((BAR_WIDTH * (place + 1)) / PROGRESS_STATES.length);
  return `${state.padEnd(STATE_WIDTH)} [${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled)}]`;
}

/**
 * How a slot (or a node) reads, from its newest task wanted running (or held ready before a restart),
 * else its newest task: that task's problem (error, or why it cannot be placed); for a replacement
 * held before its restart, the problem of the task it replaces; else its state and bar.
 */
function slotDetail(tasks: readonly Task[]): string {
  const sorted = [...tasks].sort(newestFirst);
  const task = sorted.find((t) => wantsToRun(t.desiredState)) ?? sorted[0];
  const replaced = task.desiredState === 'ready' ? sorted.find((t) => t !== task && taskProblem(t)) : undefined;
  return taskProblem(task) ?? (replaced && taskProblem(replaced)) ?? stateBar(task.status.state) ?? task.status.state;
}

/** True for a task wanted running that runs. */
const runsAsWanted = (t: Task) => t.desiredState === 'running' && t.status.state === 'running';
/** True for a task told to stop that still runs. */
const stillStopping = (t: Task) => !wantsToRun(t.desiredState) && t.status.state === 'running';

function view(done: number, total: number, lines: readonly ProgressLine[], converged: boolean): ProgressView {
  const overall = { key: 'overall progress', text: `overall progress: ${done} out of ${total} tasks` };
  const verify = converged ? [{ key: 'verify', text: 'verify: Service converged' }] : [];
  return { lines: [overall, ...lines, ...verify], converged };
}

/**
 * Progress of a replicated service: one line per slot in use (`1/3: running [===>]`), numbered in slot
 * order. Converged when exactly `replicas` tasks wanted running run and no task told to stop still runs.
 * Pure.
 */
export function replicatedProgress(replicas: number, tasks: readonly Task[]): ProgressView {
  const withSlot = tasks.filter((t): t is Task & { slot: number } => t.slot !== undefined);
  const slots = [...groupBy(withSlot, (t) => t.slot)]
    .filter(([, ts]) => ts.some((t) => wantsToRun(t.desiredState)))
    .sort(([a], [b]) => a - b)
    .slice(0, replicas);
  const lines = slots.map(([, ts], i) => ({ key: `${i + 1}/${replicas}`, text: `${i + 1}/${replicas}: ${slotDetail(ts)}` }));
  const running = tasks.filter(runsAsWanted).length;
  return view(Math.min(running, replicas), replicas, lines, running === replicas && !tasks.some(stillStopping));
}

/**
 * Progress of a global service: one line per node with a task wanted running (`mj4hs6yd2zpm: running [===>]`).
 * Converged when every task wanted running runs, no task told to stop still runs, and at least one
 * task exists, or `eligibleNodes` is 0 (no node can run the service). Pure.
 */
export function globalProgress(tasks: readonly Task[], eligibleNodes: number): ProgressView {
  const placed = tasks.filter((t): t is Task & { nodeId: string } => t.nodeId !== undefined);
  const nodes = [...groupBy(placed, (t) => t.nodeId)]
    .filter(([, ts]) => ts.some((t) => wantsToRun(t.desiredState)))
    .sort(([a], [b]) => a.localeCompare(b));
  const lines = nodes.map(([nodeId, ts]) => ({ key: nodeId, text: `${shortId(nodeId)}: ${slotDetail(ts)}` }));
  const wanted = tasks.filter((t) => wantsToRun(t.desiredState));
  const running = wanted.filter(runsAsWanted).length;
  const converged = running === wanted.length && (wanted.length > 0 || eligibleNodes === 0) && !tasks.some(stillStopping);
  return view(running, nodes.length > 0 ? nodes.length : eligibleNodes, lines, converged);
}
