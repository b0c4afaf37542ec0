import { randomBytes } from 'node:crypto';

/** A new object id: 25 lower-case base-36 characters (128 random bits), as swarm mode's ids look. */
export function newId(): string {
  const n = BigInt('0x' + randomBytes(16).toString('hex'));
  return n.toString(36).padStart(25, '0');
}

/** The short form shown in tables. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}
