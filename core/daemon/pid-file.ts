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
  } catch {
    return undefined;
  }
  return isZombie(pid) ? undefined : pid;
}

/** A killed process whose parent has not reaped it yet still answers signals; it is dead all the same. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
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
