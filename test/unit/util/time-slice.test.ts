import { TimeSlice } from '../../../core/util/time-slice';

const spin = (ms: number) => {
  for (const end = performance.now() + ms; performance.now() < end; );
};

describe('TimeSlice', () => {
  it('is due once its share is used, and next() lets queued work run before a new slice starts', async () => {
    const slice = new TimeSlice(5);
    expect(slice.due).toBe(false);
    spin(8);
    expect(slice.due).toBe(true);
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await slice.next();
    order.push('next slice');
    expect(order).toEqual(['other work', 'next slice']);
    expect(slice.due).toBe(false);
  });

  it('sums the time the job ran in its slices, not the time it waited', async () => {
    const slice = new TimeSlice(5);
    spin(6);
    setImmediate(() => spin(30)); // other work, run while the job waits for its turn
    await slice.next();
    const busy = slice.busyMs;
    expect(busy).toBeGreaterThanOrEqual(6);
    expect(busy).toBeLessThan(6 + 30);
  });
});
