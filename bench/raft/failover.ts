/** Leader failover: how long writes stop going through when the leader is SIGKILLed. */
import { performance } from 'node:perf_hooks';
import type { RaftCluster } from './cluster';
import { waitUntil } from '../support';

/** A write is sent this often, whether or not the ones before it have been answered. */
const WRITE_EVERY_MS = 10;
/** Writes that must go through before the kill, so that the client is connected and warm. */
const WRITES_BEFORE_KILL = 50;
const RECOVERY_TIMEOUT_MS = 60_000;

/** One failover run. */
export interface FailoverRun {
  /** Ms from the SIGKILL to the answer of the first write sent after it that succeeded. */
  readonly ms: number;
  /** Writes answered with an error (or timed out) after the kill. */
  readonly failed: number;
}

/**
 * One client sends a write every ~10 ms through the members that will survive (to the first of them,
 * moving on to the other after a failure), without waiting for earlier writes, so that a write left
 * hanging by the failover does not hold back the next. Once writes go through, the leader is SIGKILLed,
 * and the time until a write sent after the kill succeeds is measured. Then the client waits for its
 * last answers, the killed member is restarted, and the cluster is healthy again when this resolves.
 * @param tag keeps the names (keys) written apart from every other run's.
 */
export async function failover(cluster: RaftCluster, tag: string): Promise<FailoverRun> {
  const leader = await cluster.leader();
  const writer = cluster.writer([0, 1, 2].filter((i) => i !== leader), tag);
  const inFlight = new Set<Promise<void>>();
  let killedAt: number | undefined;
  let recoveredMs: number | undefined;
  let before = 0;
  let failed = 0;
  const send = () => {
    const sentAt = performance.now();
    const answered: Promise<void> = writer
      .write()
      .then(
        () => {
          if (killedAt === undefined) before++;
          else if (sentAt >= killedAt) recoveredMs ??= performance.now() - killedAt;
        },
        () => {
          if (killedAt !== undefined) failed++;
        },
      )
      .finally(() => inFlight.delete(answered));
    inFlight.add(answered);
  };
  const timer = setInterval(send, WRITE_EVERY_MS);
  try {
    await waitUntil(`${WRITES_BEFORE_KILL} writes to ${cluster.name} before the kill`, async () => before >= WRITES_BEFORE_KILL, 30_000, 20);
    killedAt = performance.now();
    cluster.kill(leader);
    await waitUntil(`a write to ${cluster.name} after its leader was killed`, async () => recoveredMs !== undefined, RECOVERY_TIMEOUT_MS, 5);
  } finally {
    clearInterval(timer);
    await Promise.all(inFlight);
    writer.close();
  }
  await cluster.restart(leader);
  return { ms: Math.round(recoveredMs!), failed };
}
