/** The result tables of the raft benchmark, as lines of text. */
import { median } from '../stats';
import type { FailoverRun } from './failover';
import type { WorkloadResult } from './workload';

const ms = (x: number) => x.toFixed(2);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const row = (cells: readonly (string | number)[], widths: readonly number[]) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');

/**
 * The small-writes table: one row per system and client count, then the orch/etcd ratios (throughput;
 * p50 and p99 latency), then every distinct error. `orch[i]` and `etcd[i]` ran with the same client count.
 */
export function writesTable(orch: readonly WorkloadResult[], etcd: readonly WorkloadResult[]): string[] {
  const widths = [7, 9, 8, 7, 9, 8, 8];
  const lines = [row(['clients', 'system', 'writes', 'errors', 'writes/s', 'p50 ms', 'p99 ms'], widths)];
  const errors: string[] = [];
  orch.forEach((o, i) => {
    const e = etcd[i];
    for (const [name, r] of [['orch', o], ['etcd', e]] as const) {
      const failed = [...r.errors.values()].reduce((a, b) => a + b, 0);
      lines.push(row([r.clients, name, r.writes, failed, r.perSecond.toFixed(1), ms(r.p50Ms), ms(r.p99Ms)], widths));
      for (const [message, n] of r.errors) errors.push(`  ${name}, ${r.clients} clients: ${n} x ${message}`);
    }
    lines.push(row([o.clients, 'orch/etcd', '', '', ratio(o.perSecond, e.perSecond), ratio(o.p50Ms, e.p50Ms), ratio(o.p99Ms, e.p99Ms)], widths));
  });
  return errors.length > 0 ? [...lines, 'errors:', ...errors] : lines;
}

/** The failover table: each run and the median per system, failed writes per run, and the ratio of the medians. */
export function failoverTable(orch: readonly FailoverRun[], etcd: readonly FailoverRun[]): string[] {
  const o = median(orch.map((r) => r.ms));
  const e = median(etcd.map((r) => r.ms));
  const line = (name: string, runs: readonly FailoverRun[], med: number) =>
    `${name.padEnd(6)}  runs ${runs.map((r) => r.ms).join(' ')} ms, median ${med} ms (failed writes per run: ${runs.map((r) => r.failed).join(' ')})`;
  return [line('orch', orch, o), line('etcd', etcd, e), `ratio orch/etcd (medians) = ${ratio(o, e)}`];
}
