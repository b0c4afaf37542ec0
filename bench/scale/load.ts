import type { ControlApi } from '../../core/api/contract';
import { parseServiceSpec } from '../../core/model/service-spec';
import type { ServiceSpec } from '../../core/model/types';
import { runPool } from '../../core/testing/sim/pool';
import { sleep } from '../support';
import type { ControlCall } from './fleet';
import type { CounterSample } from './metrics-text';
import type { PlannedService } from './plan';

/**
 * The spec of a planned service: its tasks run on the `sim` runtime (so never on the managers), which
 * ignores the image. The image is `true` all the same: the leader checks at create time that one of its
 * own runtimes (the process runtime) has the image, whichever runtime the task names.
 */
export function simServiceSpec(p: PlannedService): ServiceSpec {
  return parseServiceSpec({ name: p.name, mode: { replicated: { replicas: p.replicas } }, task: { container: { image: 'true' }, runtime: 'sim', placement: { constraints: [...p.constraints] } } });
}

/** Runs `fn` and resolves with how long it took (ms), and its error if it failed. */
export async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; error?: Error }> {
  const start = performance.now();
  try {
    await fn();
    return { ms: performance.now() - start };
  } catch (err) {
    return { ms: performance.now() - start, error: err as Error };
  }
}

/** Creates in flight at once, as a deploy tool or several users would send them. */
const CREATES_IN_FLIGHT = 8;

/** Creates the planned services, `CREATES_IN_FLIGHT` at a time; resolves with each create's latency (ms). */
export async function createServices(call: ControlCall, plan: readonly PlannedService[]): Promise<number[]> {
  const latencies: number[] = [];
  await runPool(plan.length, CREATES_IN_FLIGHT, async (i) => {
    const { ms, error } = await timed(() => call('ServiceCreate', { spec: simServiceSpec(plan[i]) }));
    if (error) throw new Error(`service create ${plan[i].name} failed after ${ms.toFixed(0)} ms: ${error.message}`);
    latencies.push(ms);
  });
  return latencies;
}

/** What watching a converging cluster recorded. */
export interface Watched {
  /** When every planned service ran all its replicas (ms since the epoch). */
  readonly convergedAt: number;
  /** `service ls` latencies (ms), failed calls included (until they failed). */
  readonly listMs: number[];
  /** Latencies of the probe creates made meanwhile (0-replica services, ms), failed ones included. */
  readonly probeCreateMs: number[];
  /** The errors of the calls that failed (a timed-out read under load, say). */
  readonly errors: string[];
  /** Samples of the leader's placement counter. */
  readonly placed: CounterSample[];
}

/**
 * Polls `service ls` every `everyMs` (timing each) until every planned service runs all its replicas,
 * sampling `placedCounter` at each poll and creating a 0-replica probe service every `probeEveryMs` (timing
 * each). Throws after `timeoutMs`.
 */
export async function watchConvergence(o: {
  readonly call: ControlCall;
  readonly plan: readonly PlannedService[];
  readonly placedCounter: () => Promise<number>;
  /** Names the probe services `<prefix>-<k>`; unset: no probes. */
  readonly probePrefix?: string;
  readonly timeoutMs: number;
  readonly everyMs?: number;
  readonly probeEveryMs?: number;
}): Promise<Watched> {
  const want = new Map(o.plan.map((p) => [p.name, p.replicas]));
  const w: Watched = { convergedAt: 0, listMs: [], probeCreateMs: [], errors: [], placed: [] };
  const record = (into: number[], what: string, r: { ms: number; error?: Error }) => {
    into.push(r.ms);
    if (r.error) w.errors.push(`${what}: ${r.error.message}`);
  };
  let done = false;
  const probes = (async () => {
    for (let k = 0; !done && o.probePrefix !== undefined; k++) {
      const spec = simServiceSpec({ name: `${o.probePrefix}-${k}`, replicas: 0, constraints: [] });
      record(w.probeCreateMs, 'service create', await timed(() => o.call('ServiceCreate', { spec })));
      await sleep(o.probeEveryMs ?? 1000);
    }
  })();
  const start = Date.now();
  try {
    for (;;) {
      let list: ControlApi['ServiceList']['res'] | undefined;
      record(w.listMs, 'service ls', await timed(async () => (list = await o.call('ServiceList', {}))));
      w.placed.push({ at: Date.now(), value: await o.placedCounter().catch(() => w.placed[w.placed.length - 1]?.value ?? 0) });
      const services = list?.services ?? [];
      const short = services.filter((s) => (want.get(s.service.spec.name) ?? 0) > s.running).length;
      const seen = services.filter((s) => want.has(s.service.spec.name)).length;
      if (list && short === 0 && seen === want.size) return { ...w, convergedAt: Date.now() };
      if (Date.now() - start > o.timeoutMs) throw new Error(`not converged after ${o.timeoutMs} ms: ${short} of ${want.size} services short of replicas`);
      await sleep(o.everyMs ?? 500);
    }
  } finally {
    done = true;
    await probes;
  }
}
