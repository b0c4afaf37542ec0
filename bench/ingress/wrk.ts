/** Running wrk: against one URL, or spread over several URLs at the same time. */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { concurrentTotal, parseWrkOutput, type WrkResult } from './wrk-output';

const execFileAsync = promisify(execFile);
/** How long wrk may run past its duration before it is killed. */
const GRACE_MS = 30_000;

/** wrk's version line (`wrk -v` prints it before its usage, and exits 1). */
export function wrkVersion(): string {
  return spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
}

/** Runs `wrk -tTHREADS -cCONNECTIONS -dSECONDSs --latency URL` and parses what it prints. */
export async function wrk(url: string, threads: number, connections: number, seconds: number): Promise<WrkResult> {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url];
  const { stdout } = await execFileAsync('wrk', args, { timeout: seconds * 1000 + GRACE_MS });
  return parseWrkOutput(stdout);
}

/**
 * `connections` spread as evenly as possible over `urls`, one single-threaded wrk per URL, all running
 * at the same time; their results added up with {@link concurrentTotal}.
 */
export async function wrkSpread(urls: readonly string[], connections: number, seconds: number): Promise<WrkResult> {
  if (connections < urls.length) throw new Error(`${connections} connections cannot be spread over ${urls.length} URLs`);
  const share = (i: number) => Math.floor(connections / urls.length) + (i < connections % urls.length ? 1 : 0);
  return concurrentTotal(await Promise.all(urls.map((u, i) => wrk(u, 1, share(i), seconds))));
}
