/** The CPU time a process has used so far, from Linux's /proc. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

let ticksPerSecond: number | undefined;

/**
 * User plus system CPU time in clock ticks from the text of `/proc/PID/stat` (fields 14 and 15,
 * counted after the command name, which may hold spaces and parentheses).
 */
export function parseStatTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (the state): utime (14) and stime (15) are fields[11] and fields[12].
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot read the CPU times of /proc/PID/stat: ${stat}`);
  return ticks;
}

/** CPU seconds (user plus system, all threads) process `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  return parseStatTicks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) / ticksPerSecond;
}
