/** One scheduled callback. */
interface Timer {
  readonly time: number;
  /** Insertion order: ties in time run first-scheduled first, so runs are deterministic. */
  readonly seq: number;
  readonly run: () => void;
}

/**
 * Simulated logical time: a priority queue of callbacks by time. Nothing happens between events, so
 * a simulation never waits on a real clock. Not re-entrant: callbacks schedule, they do not run events.
 */
export class Scheduler {
  private heap: Timer[] = [];
  private seq = 0;
  private clock = 0;
  /** Events run so far. */
  steps = 0;

  /** The current simulated time. */
  get now(): number {
    return this.clock;
  }

  /** Events waiting to run. */
  get pending(): number {
    return this.heap.length;
  }

  /** Runs `fn` `delay` time units from now (0: after everything already due now). */
  after(delay: number, fn: () => void): void {
    if (!(delay >= 0)) throw new Error(`cannot schedule ${delay} time units ahead`);
    this.push({ time: this.clock + delay, seq: this.seq++, run: fn });
  }

  /** Runs the next event, advancing time to it. Returns false when nothing is scheduled. */
  step(): boolean {
    const timer = this.pop();
    if (!timer) return false;
    this.clock = timer.time;
    this.steps++;
    timer.run();
    return true;
  }

  private before(a: Timer, b: Timer): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
