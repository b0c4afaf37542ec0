/** Where in a certificate's lifetime it is renewed: a random point between these fractions (as swarm). */
export const RENEWAL_WINDOW = { from: 0.5, to: 0.8 } as const;

/**
 * When to renew a certificate: `notBefore` plus 50–80 % of its lifetime, the point picked by `random`,
 * so that nodes given certificates at the same time do not all renew at once.
 * @param random a number in [0, 1), e.g. `Math.random()`.
 * @throws when `random` is outside [0, 1].
 */
export function renewalTime(notBefore: Date, notAfter: Date, random: number): Date {
  if (!(random >= 0 && random <= 1)) throw new Error(`invalid random ${random}: expected a number in [0, 1)`);
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const fraction = RENEWAL_WINDOW.from + (RENEWAL_WINDOW.to - RENEWAL_WINDOW.from) * random;
  return new Date(notBefore.getTime() + lifetime * fraction);
}

/** Whether a certificate due for renewal at `at` should be renewed at `now`. */
export function needsRenewal(now: Date, at: Date): boolean {
  return now.getTime() >= at.getTime();
}
