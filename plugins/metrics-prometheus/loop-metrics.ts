import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Hooks } from '../../core/hooks';

/** Buckets of control-loop pass durations (s): from sub-millisecond passes to slow, contended ones. */
const PASS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets of scheduling decision durations (s). */
const DECISION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * Counts what the leader's control loops report: passes, their durations and failures per loop
 * (`loops.pass`; the label `loop` takes one value per loop the manager runs), and the tasks the
 * scheduler placed, how long its decisions took and what it left pending (`scheduler.decided`).
 */
export function registerLoopMetrics(registry: Registry, hooks: Hooks, tapName: string): void {
  const registers = [registry];
  const passes = new Counter({ name: 'orch_control_loop_passes_total', help: 'Reconcile passes of the control loops on this manager while it led, by loop.', labelNames: ['loop'], registers });
  const failures = new Counter({
    name: 'orch_control_loop_failures_total',
    help: 'Reconcile passes that failed (write conflicts included) and were retried, by loop.',
    labelNames: ['loop'],
    registers,
  });
  const durations = new Histogram({ name: 'orch_control_loop_pass_duration_seconds', help: 'Duration of reconcile passes, by loop.', labelNames: ['loop'], buckets: PASS_BUCKETS, registers });
  hooks.loops.pass.tap(tapName, ({ loop, durationMs, ok }) => {
    passes.inc({ loop });
    if (!ok) failures.inc({ loop });
    durations.observe({ loop }, durationMs / 1000);
  });

  const placed = new Counter({ name: 'orch_scheduler_tasks_placed_total', help: 'Tasks the scheduler assigned to a node.', registers });
  const decisions = new Histogram({
    name: 'orch_scheduler_decision_duration_seconds',
    help: 'Time the scheduler took to decide on the pending tasks of one pass (without writing the decisions).',
    buckets: DECISION_BUCKETS,
    registers,
  });
  const pending = new Gauge({
    name: 'orch_scheduler_pending_tasks',
    help: 'Tasks the last scheduler pass left waiting (PENDING, desired to run): no node fits them yet.',
    registers,
  });
  hooks.scheduler.decided.tap(tapName, (pass) => {
    placed.inc(pass.placed);
    if (pass.durationMs > 0) decisions.observe(pass.durationMs / 1000);
    pending.set(pass.pending);
  });
}
