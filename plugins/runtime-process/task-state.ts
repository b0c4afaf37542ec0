import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PortBinding } from '../../core/model/types';

/** What the runtime keeps in a task's directory, to adopt the process after a daemon restart. */
export interface TaskRecord {
  readonly taskId: string;
  readonly pid?: number;
  /** The process's start time as the kernel counts it (`/proc/<pid>/stat` field 22): a reused pid differs. */
  readonly procStart?: string;
  readonly ports: readonly PortBinding[];
  /** The exit code, once the runtime saw the process end. */
  readonly exitCode?: number;
}

const RECORD = 'task.json';

export function writeRecord(dir: string, record: TaskRecord): void {
  fs.writeFileSync(path.join(dir, RECORD), JSON.stringify(record));
}

/** The record in `dir`; undefined when there is none or it cannot be read (the directory is then a stray). */
export function readRecord(dir: string): TaskRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, RECORD), 'utf8')) as TaskRecord;
  } catch {
    return undefined;
  }
}

/** A process's start time (`/proc/<pid>/stat` field 22), or undefined when it does not exist. */
export function procStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** True while the recorded process runs (the same process: its start time matches). */
export function stillRunning(record: TaskRecord): boolean {
  return record.pid !== undefined && record.exitCode === undefined && procStart(record.pid) === record.procStart;
}
