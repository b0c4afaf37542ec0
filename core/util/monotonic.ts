/**
 * Milliseconds on the process's monotonic clock: the same clock in every thread of the process (unlike
 * `performance.now()`, whose origin is each thread's start), and never set back (unlike `Date.now()`).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
