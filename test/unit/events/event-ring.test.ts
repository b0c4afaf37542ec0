import { EventRing } from '../../../core/events/event-ring';

describe('EventRing', () => {
  it('keeps the last `capacity` items, oldest first', () => {
    const ring = new EventRing<number>(3);
    ring.append([1, 2]);
    ring.append([3, 4, 5]);
    expect(ring.recent()).toEqual([3, 4, 5]);
  });

  it('hands later items to subscribers, and with replay the retained ones first, until unsubscribed', () => {
    const ring = new EventRing<number>(10);
    ring.append([1, 2]);
    const live: number[] = [];
    const replayed: number[] = [];
    const stopLive = ring.subscribe((n) => live.push(n));
    ring.subscribe((n) => replayed.push(n), true);
    ring.append([3]);
    stopLive();
    ring.append([4]);
    expect(live).toEqual([3]);
    expect(replayed).toEqual([1, 2, 3, 4]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventRing(0)).toThrow(/capacity must be a positive integer, got 0/);
  });
});
