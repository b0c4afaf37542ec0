import type { IncompleteLogs, LogMessage, LogTaskContext } from '../../core/logs/contract';
import { shortId } from '../../core/model/ids';

/** How `service logs` prints lines, from its flags. */
export interface LogLineFormat {
  /** Name each line's task by id too (false with `--no-task-ids`). */
  readonly taskIds: boolean;
  /** Short task ids (false with `--no-trunc`). */
  readonly trunc: boolean;
  /** No prefix at all (`--raw`). */
  readonly raw: boolean;
  /** The line's timestamp before its text (`--timestamps`). */
  readonly timestamps: boolean;
}

/** Between a line's prefix and its text, as docker prints it. */
const SEPARATOR = '    | ';

/** A task's prefix as docker prints it: `web.1.abcdef123456@node`, `web.1@node` without task ids. */
export function logPrefix(task: LogTaskContext, f: Pick<LogLineFormat, 'taskIds' | 'trunc'>): string {
  const id = f.taskIds ? `.${f.trunc ? shortId(task.taskId) : task.taskId}` : '';
  return `${task.name}${id}@${task.node}`;
}

/**
 * Formats the lines of one `service logs` run. Prefixes are padded to the width of the widest prefix
 * of the tasks known so far in the run (every task of the first message, then each that joins), so
 * that the texts line up as docker's do. Pure.
 */
export class LogLineFormatter {
  private readonly prefixes = new Map<string, string>();
  private width = 0;

  constructor(private readonly format: LogLineFormat) {}

  /** Learns how to name these tasks. */
  learn(tasks: readonly LogTaskContext[]): void {
    for (const t of tasks) {
      const prefix = logPrefix(t, this.format);
      this.prefixes.set(t.taskId, prefix);
      this.width = Math.max(this.width, prefix.length);
    }
  }

  /** The printed form of `m`, line break included. A task it was not told of is named by its id. */
  line(m: LogMessage): string {
    const time = this.format.timestamps ? `${m.timestamp} ` : '';
    if (this.format.raw) return `${time}${m.text}\n`;
    const prefix = this.prefixes.get(m.taskId) ?? (this.format.trunc ? shortId(m.taskId) : m.taskId);
    return `${prefix.padEnd(this.width)}${SEPARATOR}${time}${m.text}\n`;
  }
}

/** The warning about a node whose logs are missing, as docker words it, line break included. */
export function incompleteWarning(i: IncompleteLogs): string {
  return `error from daemon in stream: incomplete log stream: logs of node ${i.node} are missing: ${i.reason}\n`;
}
