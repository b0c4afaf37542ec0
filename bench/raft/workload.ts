/** The small-writes workload: concurrent clients writing back to back to the leader for a fixed time. */
import { performance } from 'node:perf_hooks';
import type { RaftCluster } from './cluster';
import { sleep } from '../support';

/** Pause after a failed write, so that a client whose writes fail at once does not spin. */
const PAUSE_AFTER_ERROR_MS = 10;

/** What one run of the workload measured. */
export interface WorkloadResult {
  readonly clients: number;
  /** Writes that succeeded. */
  readonly writes: number;
  /** Failed writes, by error message (quoted names elided, so that alike errors add up). */
  readonly errors: ReadonlyMap<string, number>;
  /** Successful writes per second of wall time. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Runs `clients` writers against the current leader of `cluster` for `seconds`: each sends its next
 * write as soon as the last one is answered, until the time is up. Latency counts successful writes only.
 * @param tag keeps the names (keys) written apart from every other run's.
 */
export async function smallWrites(cluster: RaftCluster, clients: number, seconds: number, tag: string): Promise<WorkloadResult> {
  const leader = await cluster.leader();
  const writers = Array.from({ length: clients }, (_, i) => cluster.writer([leader], `${tag}-${i}`));
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const start = performance.now();
  const end = start + seconds * 1000;
  try {
    await Promise.all(
      writers.map(async (w) => {
        while (performance.now() < end) {
          const t0 = performance.now();
          try {
            await w.write();
            latencies.push(performance.now() - t0);
          } catch (err) {
            const message = (err as Error).message.split('\n')[0].replace(/"[^"]*"/g, '"…"');
            errors.set(message, (errors.get(message) ?? 0) + 1);
            await sleep(PAUSE_AFTER_ERROR_MS);
          }
        }
      }),
    );
  } finally {
    writers.forEach((w) => w.close());
  }
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { clients, writes: latencies.length, errors, perSecond: latencies.length / elapsedS, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Nearest-rank percentile `p` of ascending `sorted`; NaN when it is empty. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
