import { needsRenewal, RENEWAL_WINDOW, renewalTime } from '../../../plugins/ca-forge';

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2026-04-01T00:00:00Z');
const lifetime = notAfter.getTime() - notBefore.getTime();
const at = (fraction: number): Date => new Date(notBefore.getTime() + lifetime * fraction);

describe('renewalTime', () => {
  it('is between 50 % and 80 % of the lifetime, spread over the window, for many random draws', () => {
    const times = Array.from({ length: 10_000 }, () => renewalTime(notBefore, notAfter, Math.random()).getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(at(0.5).getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(at(0.8).getTime());
    expect(Math.min(...times)).toBeLessThan(at(0.51).getTime());
    expect(Math.max(...times)).toBeGreaterThan(at(0.79).getTime());
  });

  it('maps the random number linearly onto the window', () => {
    expect(RENEWAL_WINDOW).toEqual({ from: 0.5, to: 0.8 });
    expect(renewalTime(notBefore, notAfter, 0)).toEqual(at(0.5));
    expect(renewalTime(notBefore, notAfter, 0.5)).toEqual(at(0.65));
    expect(renewalTime(notBefore, notAfter, 1)).toEqual(at(0.8));
  });

  it.each([-0.1, 1.5, Number.NaN])('refuses a random number of %p', (random) => {
    expect(() => renewalTime(notBefore, notAfter, random)).toThrow(`invalid random ${random}: expected a number in [0, 1)`);
  });
});

describe('needsRenewal', () => {
  it('is due from the renewal time on', () => {
    const due = at(0.6);
    expect(needsRenewal(new Date(due.getTime() - 1), due)).toBe(false);
    expect(needsRenewal(due, due)).toBe(true);
    expect(needsRenewal(notAfter, due)).toBe(true);
  });
});
