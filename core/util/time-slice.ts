/** Longest stretch of one long job on the event loop before other work gets a turn (ms). */
const SLICE_MS = 20;

/**
 * A long job's share of the event loop: the job checks `due` between steps and, once a slice of `ms` is
 * used up, awaits `next()`, which lets pending I/O and other jobs run (a later turn, via setImmediate)
 * before a new slice starts. `busyMs` sums the time the job ran in its slices.
 */
export class TimeSlice {
  private start = performance.now();
  private busy = 0;

  constructor(private readonly ms = SLICE_MS) {}

  /** True once this slice has run longer than its share. */
  get due(): boolean {
    return performance.now() - this.start > this.ms;
  }

  /** Time the job ran in its slices so far, the current one included (ms). */
  get busyMs(): number {
    return this.busy + performance.now() - this.start;
  }

  /** Waits for a later turn of the event loop, then starts a new slice. */
  async next(): Promise<void> {
    this.busy += performance.now() - this.start;
    await new Promise((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }
}
