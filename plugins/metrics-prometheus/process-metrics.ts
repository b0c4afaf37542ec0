import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

/**
 * The process's own figures (CPU, memory, file descriptors, event loop lag, GC, Node version), named
 * `orch_process_…` and `orch_nodejs_…`. One registry per process, however many kernels it runs (a daemon
 * whose role changes starts a new kernel in the same process): its collectors run from the first call on.
 */
export function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: 'orch_' });
  }
  return shared;
}
