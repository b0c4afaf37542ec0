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

/** Creates the planned services, `CREATES_IN_FLIGHT` at a time. */
export async function createServices(call: ControlCall, plan: readonly PlannedService[]): Promise<void> {
  await runPool(plan.length, CREATES_IN_FLIGHT, async (i) => {
    const { ms, error } = await timed(() => call('ServiceCreate', { spec: simServiceSpec(plan[i]) }));
    if (error) throw new Error(`service create ${plan[i].name} failed after ${ms.toFixed(0)} ms: ${error.message}`);
  });
}

/** What watching a converging cluster recorded. */
export interface Watched {
  /** When every planned service ran all its replicas (ms since the epoch). */
  readonly convergedAt: number;
  /** The errors of the polls that failed (a timed-out read under load, say). */
  readonly errors: string[];
  /** Samples of the leader's placement counter. */
  readonly placed: CounterSample[];
}

/**
 * Polls `service ls` every `everyMs` until every planned service runs all its replicas, sampling
 * `placedCounter` at each poll. Throws after `timeoutMs`.
 */
export async function watchConvergence(o: {
  readonly call: ControlCall;
  readonly plan: readonly PlannedService[];
  readonly placedCounter: () => Promise<number>;
  readonly timeoutMs: number;
  readonly everyMs?: number;
}): Promise<Watched> {
  const want = new Map(o.plan.map((p) => [p.name, p.replicas]));
  const w: Watched = { convergedAt: 0, errors: [], placed: [] };
  const start = Date.now();
  for (;;) {
    let short: number | undefined;
    try {
      const services = (await o.call('ServiceList', {})).services;
      short = services.filter((s) => (want.get(s.service.spec.name) ?? 0) > s.running).length + want.size - services.filter((s) => want.has(s.service.spec.name)).length;
    } catch (err) {
      w.errors.push(`service ls: ${(err as Error).message}`);
    }
    w.placed.push({ at: Date.now(), value: await o.placedCounter().catch(() => w.placed[w.placed.length - 1]?.value ?? 0) });
    if (short === 0) return { ...w, convergedAt: Date.now() };
    if (Date.now() - start > o.timeoutMs) throw new Error(`not converged after ${o.timeoutMs} ms: ${short ?? 'unknown'} of ${want.size} services short of replicas`);
    await sleep(o.everyMs ?? 500);
  }
}
