/** One recorded event: when, which step, and a description built only if the trace is printed. */
interface TraceEvent {
  readonly time: number;
  readonly step: number;
  readonly describe: string | (() => string);
}

/**
 * The most recent events of a run, kept in a ring buffer so that a failure can show what led to it.
 * Descriptions may be given as functions so that formatting costs nothing unless the trace is printed.
 */
export class Trace {
  private readonly ring: (TraceEvent | undefined)[];
  private next = 0;

  /** @param capacity how many events to keep */
  constructor(
    capacity: number,
    private readonly clock: () => { time: number; step: number },
  ) {
    this.ring = new Array(Math.max(1, capacity));
  }

  /** Records an event. */
  add(describe: string | (() => string)): void {
    const { time, step } = this.clock();
    this.ring[this.next] = { time, step, describe };
    this.next = (this.next + 1) % this.ring.length;
  }

  /** The kept events, oldest first, one per line. */
  format(): string {
    const events: TraceEvent[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const e = this.ring[(this.next + i) % this.ring.length];
      if (e) events.push(e);
    }
    return events.map((e) => `  t=${e.time} #${e.step} ${typeof e.describe === 'string' ? e.describe : e.describe()}`).join('\n');
  }
}
