import { TimerWheel } from '../../../plugins/runtime-sim';

describe('TimerWheel', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('runs callbacks in time order on one timer, none early', () => {
    const wheel = new TimerWheel(10);
    const ran: string[] = [];
    wheel.after(50, () => ran.push('50'));
    wheel.after(5, () => ran.push('5'));
    wheel.after(25, () => ran.push('25'));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(4);
    expect(ran).toEqual([]);
    jest.advanceTimersByTime(26);
    expect(ran).toEqual(['5', '25']);
    jest.advanceTimersByTime(30);
    expect(ran).toEqual(['5', '25', '50']);
    expect(wheel.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('skips a cancelled callback', () => {
    const wheel = new TimerWheel(10);
    const fn = jest.fn();
    wheel.after(20, fn).cancel();
    jest.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses a resolution that is not above 0', () => {
    expect(() => new TimerWheel(0)).toThrow('a timer wheel needs a resolution above 0 ms, got 0');
  });
});
