/** A callback a {@link TimerWheel} runs once, unless cancelled first. */
export interface WheelTimer {
  /** Stops the callback from running (nothing happens if it already ran). */
  cancel(): void;
}

interface Entry {
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Many one-shot timers on one Node timer: callbacks are grouped into slots of `resolutionMs` and a single
 * `setTimeout` (unref'd: it never keeps the process alive) is armed for the earliest slot. Thousands of
 * simulated tasks and nodes share one wheel, so the event loop holds one timer instead of one per task.
 * A callback runs no earlier than asked, and at most `resolutionMs` later.
 */
export class TimerWheel {
  private readonly slots = new Map<number, Entry[]>();
  /** Slot numbers that hold entries, ascending. */
  private readonly due: number[] = [];
  private armed: NodeJS.Timeout | undefined;
  private armedSlot = Infinity;

  constructor(
    private readonly resolutionMs = 10,
    private readonly now: () => number = Date.now,
  ) {
    if (!(resolutionMs > 0)) throw new Error(`a timer wheel needs a resolution above 0 ms, got ${resolutionMs}`);
  }

  /** Runs `fn` once `delayMs` has passed. */
  after(delayMs: number, fn: () => void): WheelTimer {
    const slot = Math.ceil((this.now() + Math.max(0, delayMs)) / this.resolutionMs);
    const entry: Entry = { fn, cancelled: false };
    const list = this.slots.get(slot);
    if (list) list.push(entry);
    else {
      this.slots.set(slot, [entry]);
      this.due.splice(this.insertionPoint(slot), 0, slot);
    }
    if (slot < this.armedSlot) this.arm();
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** How many callbacks are waiting (cancelled ones included until their slot passes). */
  get size(): number {
    let n = 0;
    for (const list of this.slots.values()) n += list.length;
    return n;
  }

  /** Where `slot` goes in the ascending `due` list (binary search). */
  private insertionPoint(slot: number): number {
    let lo = 0;
    let hi = this.due.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.due[mid] < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private arm(): void {
    clearTimeout(this.armed);
    this.armed = undefined;
    this.armedSlot = Infinity;
    if (this.due.length === 0) return;
    this.armedSlot = this.due[0];
    this.armed = setTimeout(() => this.fire(), Math.max(0, this.armedSlot * this.resolutionMs - this.now()));
    this.armed.unref();
  }

  /** Runs every slot that is due, then re-arms for the next one. */
  private fire(): void {
    const nowSlot = Math.floor(this.now() / this.resolutionMs);
    while (this.due.length > 0 && this.due[0] <= nowSlot) {
      const slot = this.due.shift()!;
      const list = this.slots.get(slot)!;
      this.slots.delete(slot);
      for (const e of list) if (!e.cancelled) e.fn();
    }
    this.arm();
  }
}
