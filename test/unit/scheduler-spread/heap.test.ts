import { Heap } from '../../../plugins/scheduler-spread/heap';

describe('Heap', () => {
  /** Drains the heap, returning its items in order. */
  const drain = (heap: Heap<{ v: number }>): number[] => {
    const out: number[] = [];
    for (let top = heap.peek(); top; top = heap.peek()) {
      out.push(top.v);
      heap.pop();
    }
    return out;
  };

  it('gives items in order', () => {
    const values = [5, 3, 9, 1, 7, 3, 0, 8];
    expect(drain(new Heap(values.map((v) => ({ v })), (a, b) => a.v < b.v))).toEqual([...values].sort((a, b) => a - b));
  });

  it('is empty without items', () => {
    const heap = new Heap<{ v: number }>([], (a, b) => a.v < b.v);
    expect(heap.peek()).toBeUndefined();
    heap.pop();
    expect(heap.peek()).toBeUndefined();
  });

  it('reorders after the top item changes', () => {
    const heap = new Heap([1, 2, 3, 4].map((v) => ({ v })), (a, b) => a.v < b.v);
    for (let i = 0; i < 6; i++) {
      (heap.peek() as { v: number }).v += 10;
      heap.topChanged();
    }
    expect(drain(heap)).toEqual([13, 14, 21, 22]);
  });
});
