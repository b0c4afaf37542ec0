import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Gives the calling thread (not its whole process) the nice value `nice` (-20…19; lower runs first), so
 * that a thread whose work is short and latency-bound is scheduled ahead of its process's busy threads.
 * Linux only: a thread is named by its id from /proc/thread-self, and setpriority on a thread id sets that
 * thread's priority alone. Raising priority needs CAP_SYS_NICE (a daemon running as root has it).
 * @returns undefined once set, or why it could not be
 */
export function setThreadNice(nice: number): string | undefined {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return 'this system does not name its threads in /proc/thread-self';
  }
  try {
    setPriority(tid, nice);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
