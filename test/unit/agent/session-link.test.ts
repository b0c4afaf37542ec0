import { MAX_BACKOFF_MS, MIN_BACKOFF_MS, nextBackoff } from '../../../core/agent/stream-link';

describe('session re-open backoff', () => {
  it('doubles from 100 ms up to 5 s', () => {
    const waits = [MIN_BACKOFF_MS];
    while (waits.length < 9) waits.push(nextBackoff(waits[waits.length - 1]));
    expect(waits).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
    expect(MAX_BACKOFF_MS).toBe(5000);
  });
});
