import { randomBytes, timingSafeEqual } from 'node:crypto';
import { base36 } from './base36';
import { certificateDigest, DIGEST_LENGTH } from './verify';

/** Length of a token secret in base 36: enough for 16 random bytes. */
export const SECRET_LENGTH = 25;

/** A parsed join token. */
export interface JoinToken {
  readonly version: 1;
  /** `certificateDigest` of the root CA the joiner must find at the manager. */
  readonly caDigest: string;
  /** What the manager checks to decide the joiner's role. */
  readonly secret: string;
}

const FORMAT = 'expected SWMTKN-1-<CA digest>-<secret>';
const DIGEST = new RegExp(`^[0-9a-z]{${DIGEST_LENGTH}}$`);
const SECRET = new RegExp(`^[0-9a-z]{${SECRET_LENGTH}}$`);

const invalid = (what: string): Error => new Error(`invalid join token: ${what}`);

/** A new token secret: 16 random bytes in base 36, padded to 25 characters. */
export function newTokenSecret(): string {
  return base36(randomBytes(16), SECRET_LENGTH);
}

/**
 * Makes a join token, `SWMTKN-1-<digest of the root CA>-<secret>`.
 * @throws when the root is not a PEM certificate or the secret is not 25 base-36 characters.
 */
export function makeJoinToken(rootCertPem: string, secret: string): string {
  if (!SECRET.test(secret)) throw new Error(`invalid token secret: expected ${SECRET_LENGTH} base-36 characters (0-9, a-z)`);
  return `SWMTKN-1-${certificateDigest(rootCertPem)}-${secret}`;
}

/**
 * Parses a join token (surrounding whitespace is ignored). Error messages never repeat the token, which is secret.
 * @throws `invalid join token: …` naming what is wrong: the overall shape, the version, the digest or the secret.
 */
export function parseJoinToken(text: string): JoinToken {
  const parts = typeof text === 'string' ? text.trim().split('-') : [];
  if (parts.length !== 4 || parts[0] !== 'SWMTKN') throw invalid(FORMAT);
  const [, version, caDigest, secret] = parts;
  if (version !== '1') throw invalid(`unsupported version ${JSON.stringify(version)} (${FORMAT})`);
  if (!DIGEST.test(caDigest)) throw invalid(`the CA digest is not ${DIGEST_LENGTH} base-36 characters (0-9, a-z) (${FORMAT})`);
  if (!SECRET.test(secret)) throw invalid(`the secret is not ${SECRET_LENGTH} base-36 characters (0-9, a-z) (${FORMAT})`);
  return { version: 1, caDigest, secret };
}

/**
 * Whether a join token carries `expectedSecret`, compared in constant time. The CA digest is the
 * joiner's business (it pins the CA with it) and is not compared.
 * @throws `invalid join token: …` when the token is malformed.
 */
export function tokenMatches(token: string, expectedSecret: string): boolean {
  const given = Buffer.from(parseJoinToken(token).secret);
  const expected = Buffer.from(expectedSecret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
