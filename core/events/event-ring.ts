/** Called with each item appended to an EventRing. */
export type RingListener<T> = (item: T) => void;

/**
 * The most recent items of a stream (at most `capacity`; the oldest are dropped first) and the
 * listeners of new ones. Synchronous, so a replay followed by a subscription misses nothing.
 */
export class EventRing<T> {
  private readonly items: T[] = [];
  private readonly listeners = new Set<RingListener<T>>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
  }

  /** Appends items in order, dropping the oldest beyond capacity, and hands each to every listener. */
  append(items: readonly T[]): void {
    for (const item of items) {
      this.items.push(item);
      for (const l of [...this.listeners]) l(item);
    }
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** The retained items, oldest first. */
  recent(): readonly T[] {
    return [...this.items];
  }

  /**
   * Hands `listener` every later item; with `replay`, first every retained one. Returns a function that
   * unsubscribes.
   */
  subscribe(listener: RingListener<T>, replay = false): () => void {
    if (replay) for (const item of this.recent()) listener(item);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
