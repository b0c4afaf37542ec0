import * as v8 from 'node:v8';
import type { Worker } from 'node:worker_threads';

/** The `--max-semi-space-size` (MB) the process was started with, from its flags; 0 (V8's default) when none. */
export function processSemiSpaceMb(args: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]): number {
  let mb = 0;
  for (const a of args) {
    const m = /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(a);
    if (m) mb = Number(m[1]);
  }
  return mb;
}

/**
 * Creates a worker (with `create`) whose V8 young generation has semi-spaces of at most `mb` MB, whatever
 * the process's own: a thread that answers calls wants short scavenges (their pause grows with what
 * survives, and the objects a replica applies all do), while a daemon's main thread runs with a large
 * young generation for throughput. A worker's `resourceLimits.maxYoungGenerationSizeMb` is ignored once
 * the process was started with `--max-semi-space-size`, so the flag is set for the time the worker's heap
 * is made (on its own thread) and set back to `own` once it is online or has exited; V8 reads it only when
 * it makes a heap.
 */
export function withSemiSpace(mb: number, create: () => Worker, own = processSemiSpaceMb()): Worker {
  const restore = () => v8.setFlagsFromString(`--max-semi-space-size=${own}`);
  v8.setFlagsFromString(`--max-semi-space-size=${mb}`);
  let worker: Worker;
  try {
    worker = create();
  } catch (err) {
    restore();
    throw err;
  }
  // A worker that fails to start exits without coming online. (Listening for 'exit' rather than 'error'
  // leaves the caller's errors unhandled as they were; after 'online' it sets the same value again.)
  worker.once('online', restore);
  worker.once('exit', restore);
  return worker;
}
