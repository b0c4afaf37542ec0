import * as fs from 'node:fs';
import { OrchError } from '../errors';

/** The pid recorded in a pid file, if that process is still alive. */
export function livePid(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Records this process in the pid file, refusing if another live daemon holds it. */
export function claimPidFile(file: string, dataDir: string): void {
  const other = livePid(file);
  if (other !== undefined && other !== process.pid) {
    throw new OrchError('conflict', `a daemon is already running for ${dataDir} (pid ${other})`);
  }
  fs.writeFileSync(file, `${process.pid}\n`, { mode: 0o644 });
}

/** Removes the pid file if it still names this process. */
export function releasePidFile(file: string): void {
  if (livePid(file) === process.pid) fs.rmSync(file, { force: true });
}
