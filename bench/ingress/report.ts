/** The results of the ingress benchmark: medians over rounds, the table and the goals, as lines of text. */
import { median } from '../stats';
import { tableRow as row } from '../table';
import type { WrkResult } from './wrk-output';

/** The mesh's goals against HAProxy: at least this share of its req/s… */
const MIN_RPS_RATIO = 0.8;
/** …and a p99 at most this many ms above its p99. */
const MAX_P99_EXTRA_MS = 1;

/** One run of a path: wrk's figures and, for a path through a proxy, the proxy's CPU time per request. */
export interface PathRun extends WrkResult {
  /** User plus system CPU µs the proxy process used per completed request. */
  readonly proxyCpuUs?: number;
}

/** One path's rounds, reduced. */
export interface PathSummary {
  readonly path: string;
  /** Median over rounds. */
  readonly requestsPerSecond: number;
  /** Median over rounds, ms. */
  readonly p99Ms: number;
  /** Over all rounds. */
  readonly errors: number;
  /** Median over rounds, for a path through a proxy. */
  readonly proxyCpuUs?: number;
}

/** Medians of a path's rounds (req/s, p99 and proxy CPU each on its own) and its errors over all rounds. */
export function summarize(path: string, rounds: readonly PathRun[]): PathSummary {
  const cpu = rounds.flatMap((r) => (r.proxyCpuUs === undefined ? [] : [Math.round(r.proxyCpuUs * 1000)]));
  return {
    path,
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    // In µs (and ns below): `median` rounds the mean of the middle two to an integer.
    p99Ms: median(rounds.map((r) => Math.round(r.p99Ms * 1000))) / 1000,
    errors: rounds.reduce((a, r) => a + r.errors, 0),
    ...(cpu.length > 0 ? { proxyCpuUs: median(cpu) / 1000 } : {}),
  };
}

const signedMs = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

/** The table: one row per path, with its req/s and p99 against `peer`'s (HAProxy's), and the proxy's CPU per request. */
export function resultTable(paths: readonly PathSummary[], peer: PathSummary): string[] {
  const widths = [8, 7, 7, 12, 13, 17, 6];
  return [
    row(['path', 'req/s', 'p99 ms', 'req/s ÷ peer', 'p99 − peer ms', 'proxy CPU µs/req', 'errors'], widths),
    ...paths.map((p) =>
      row(
        [
          p.path,
          p.requestsPerSecond.toFixed(0),
          p.p99Ms.toFixed(2),
          (p.requestsPerSecond / peer.requestsPerSecond).toFixed(2),
          signedMs(p.p99Ms - peer.p99Ms),
          p.proxyCpuUs === undefined ? '-' : p.proxyCpuUs.toFixed(1),
          String(p.errors),
        ],
        widths,
      ),
    ),
  ];
}

/** Whether the mesh meets each goal against HAProxy, one line per goal. */
export function goalLines(mesh: PathSummary, haproxy: PathSummary): string[] {
  const ratio = mesh.requestsPerSecond / haproxy.requestsPerSecond;
  const extra = mesh.p99Ms - haproxy.p99Ms;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    `goal: ${mesh.path} req/s ≥ ${MIN_RPS_RATIO.toFixed(2)} × ${haproxy.path}'s: ${ratio.toFixed(2)} × — ${verdict(ratio >= MIN_RPS_RATIO)}`,
    `goal: ${mesh.path} p99 ≤ ${haproxy.path}'s + ${MAX_P99_EXTRA_MS} ms: ${signedMs(extra)} ms — ${verdict(extra <= MAX_P99_EXTRA_MS)}`,
  ];
}
