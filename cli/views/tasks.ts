import type { ControlApi } from '../../core/api/contract';
import { taskName } from '../../core/api/task-handlers';
import { shortId } from '../../core/model/ids';
import type { Task } from '../../core/model/types';
import type { Column } from '../format/output';
import { formatPorts } from '../format/ports';
import { timeAgo } from '../format/time';
import { capitalize, newestFirst, taskProblem } from './task-status';

/** Errors longer than this are cut in `service ps` unless `--no-trunc`. */
const MAX_ERROR_LENGTH = 60;

/** One line of `service ps` (also its `--format json` object). */
export interface TaskRow {
  readonly ID: string;
  readonly Name: string;
  readonly Image: string;
  readonly Node: string;
  readonly DesiredState: string;
  readonly CurrentState: string;
  readonly Error: string;
  readonly Ports: string;
}

/** Columns of `service ps`. */
export const TASK_COLUMNS: readonly Column<TaskRow>[] = [
  { header: 'ID', value: (r) => r.ID },
  { header: 'NAME', value: (r) => r.Name },
  { header: 'IMAGE', value: (r) => r.Image },
  { header: 'NODE', value: (r) => r.Node },
  { header: 'DESIRED STATE', value: (r) => r.DesiredState },
  { header: 'CURRENT STATE', value: (r) => r.CurrentState },
  { header: 'ERROR', value: (r) => r.Error },
  { header: 'PORTS', value: (r) => r.Ports },
];

/** A task in `service ps` order; `history` marks an older task of the slot above (shown as `\_ web.1`). */
export interface OrderedTask {
  readonly task: Task;
  readonly history: boolean;
}

/** Where a task belongs: its service and slot (or node, for a global service). */
function slotKey(t: Task): string {
  return `${t.serviceName}\0${t.slot ?? t.nodeId ?? ''}`;
}

function compareSlots(a: Task, b: Task): number {
  return (
    a.serviceName.localeCompare(b.serviceName) ||
    a.serviceId.localeCompare(b.serviceId) ||
    (a.slot ?? 0) - (b.slot ?? 0) ||
    (a.nodeId ?? '').localeCompare(b.nodeId ?? '')
  );
}

/** Orders tasks as `service ps` lists them: by service, then slot (or node), newest first within a slot. */
export function orderTasks(tasks: readonly Task[]): OrderedTask[] {
  const sorted = [...tasks].sort((a, b) => compareSlots(a, b) || newestFirst(a, b));
  return sorted.map((task, i) => ({ task, history: i > 0 && slotKey(sorted[i - 1]) === slotKey(task) }));
}

/** Cuts `text` to `max` characters, ending with `…` when cut. */
export function ellipsis(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Options of `service ps` that change how rows read. */
export interface TaskRowOptions {
  readonly noTrunc: boolean;
  readonly now: Date;
}

/** The rows of `service ps` for a TaskList answer. */
export function taskRows(list: ControlApi['TaskList']['res'], o: TaskRowOptions): TaskRow[] {
  return orderTasks(list.tasks).map(({ task: t, history }) => {
    const problem = taskProblem(t);
    return {
      ID: o.noTrunc ? t.id : shortId(t.id),
      Name: history ? `\\_ ${taskName(t)}` : taskName(t),
      Image: o.noTrunc ? t.spec.container.image : t.spec.container.image.replace(/@sha256:[0-9a-f]+$/, ''),
      Node: t.nodeId === undefined ? '' : (list.nodes[t.nodeId] ?? t.nodeId),
      DesiredState: capitalize(t.desiredState),
      CurrentState: `${capitalize(t.status.state)} ${timeAgo(t.status.timestamp, o.now).toLowerCase()}`,
      Error: problem === undefined ? '' : `"${o.noTrunc ? problem : ellipsis(problem, MAX_ERROR_LENGTH)}"`,
      Ports: formatPorts(t.ports.filter((p) => p.publishMode === 'host')),
    };
  });
}
