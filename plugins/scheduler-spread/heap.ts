/** A binary heap over a fixed set of items whose top item's key may change; `before(a, b)` orders a first. */
export class Heap<T> {
  private readonly items: T[];

  constructor(
    items: Iterable<T>,
    private readonly before: (a: T, b: T) => boolean,
  ) {
    this.items = [...items];
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.sink(i);
  }

  /** The first item, or undefined when the heap is empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Removes the first item. */
  pop(): void {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return;
    this.items[0] = last;
    this.sink(0);
  }

  /** Restores the order after the first item's key changed. */
  topChanged(): void {
    this.sink(0);
  }

  private sink(i: number): void {
    const { items, before } = this;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) return;
      const right = left + 1;
      const child = right < items.length && before(items[right], items[left]) ? right : left;
      if (!before(items[child], items[i])) return;
      [items[i], items[child]] = [items[child], items[i]];
      i = child;
    }
  }
}
