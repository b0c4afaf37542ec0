import { SharedReadState } from '../../../core/store/shared-read-state';
import { monotonicMs } from '../../../core/util/monotonic';

describe('SharedReadState', () => {
  it('holds a lease until its end and the last index applied, read through another view of the same memory', () => {
    const writer = new SharedReadState();
    const reader = new SharedReadState(writer.buffer);
    expect(reader.leased()).toBe(false);
    expect(reader.applied()).toBe(0);
    const now = monotonicMs();
    writer.setLease(now + 500);
    writer.setApplied(123_456_789_012);
    expect(reader.leased(now)).toBe(true);
    expect(reader.leased(now + 499)).toBe(true);
    expect(reader.leased(now + 501)).toBe(false);
    expect(reader.applied()).toBe(123_456_789_012);
    writer.setLease(0);
    expect(reader.leased(now)).toBe(false);
  });
});
