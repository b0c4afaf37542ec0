import { certificateDigest, makeJoinToken, newTokenSecret, parseJoinToken, tokenMatches } from '../../../plugins/ca-forge';
import { KNOWN_ROOT_DIGEST, KNOWN_ROOT_PEM } from './known-root';

const SECRET = '0123456789abcdefghijklmno';
const TOKEN = `SWMTKN-1-${KNOWN_ROOT_DIGEST}-${SECRET}`;
const FORMAT = 'expected SWMTKN-1-<CA digest>-<secret>';

describe('join tokens', () => {
  it('makes SWMTKN-1-<CA digest>-<secret>', () => {
    expect(makeJoinToken(KNOWN_ROOT_PEM, SECRET)).toBe(TOKEN);
    expect(certificateDigest(KNOWN_ROOT_PEM)).toBe(KNOWN_ROOT_DIGEST);
  });

  it('makes new secrets of 25 base-36 characters, all different', () => {
    const secrets = Array.from({ length: 200 }, newTokenSecret);
    for (const s of secrets) expect(s).toMatch(/^[0-9a-z]{25}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('refuses to make a token with a malformed secret', () => {
    expect(() => makeJoinToken(KNOWN_ROOT_PEM, 'short')).toThrow('invalid token secret: expected 25 base-36 characters (0-9, a-z)');
  });

  it('parses a token, ignoring surrounding whitespace', () => {
    expect(parseJoinToken(`  ${TOKEN}\n`)).toEqual({ version: 1, caDigest: KNOWN_ROOT_DIGEST, secret: SECRET });
  });

  it.each([
    ['empty', '', `invalid join token: ${FORMAT}`],
    ['not a token', 'hello', `invalid join token: ${FORMAT}`],
    ['another prefix', `SWMKEY-1-${KNOWN_ROOT_DIGEST}-${SECRET}`, `invalid join token: ${FORMAT}`],
    ['missing secret', `SWMTKN-1-${KNOWN_ROOT_DIGEST}`, `invalid join token: ${FORMAT}`],
    ['extra part', `${TOKEN}-x`, `invalid join token: ${FORMAT}`],
    ['another version', `SWMTKN-2-${KNOWN_ROOT_DIGEST}-${SECRET}`, `invalid join token: unsupported version "2" (${FORMAT})`],
    ['a short digest', `SWMTKN-1-abc-${SECRET}`, `invalid join token: the CA digest is not 50 base-36 characters (0-9, a-z) (${FORMAT})`],
    ['an upper-case digest', `SWMTKN-1-${KNOWN_ROOT_DIGEST.toUpperCase()}-${SECRET}`, 'invalid join token: the CA digest is not 50'],
    ['a short secret', `SWMTKN-1-${KNOWN_ROOT_DIGEST}-abc`, `invalid join token: the secret is not 25 base-36 characters (0-9, a-z) (${FORMAT})`],
    ['not a string', 42 as unknown as string, `invalid join token: ${FORMAT}`],
  ])('refuses %s, saying what is wrong', (_what, text, message) => {
    expect(() => parseJoinToken(text)).toThrow(message);
  });

  it('never repeats the token in an error', () => {
    const leaky = `SWMTKN-1-${KNOWN_ROOT_DIGEST}-${SECRET}zz`;
    expect(() => parseJoinToken(leaky)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(SECRET) }));
  });

  it('matches a token against a secret', () => {
    expect(tokenMatches(TOKEN, SECRET)).toBe(true);
    expect(tokenMatches(TOKEN, newTokenSecret())).toBe(false);
    expect(tokenMatches(TOKEN, 'short')).toBe(false);
    expect(() => tokenMatches('bad', SECRET)).toThrow(`invalid join token: ${FORMAT}`);
  });
});
