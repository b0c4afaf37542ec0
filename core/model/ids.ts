import { randomFillSync } from 'node:crypto';

/** Random bytes drawn ahead in one call (a call per id cost more than the rest of making a task). */
const pool = Buffer.alloc(16 * 256);
let used = pool.length;

/** A new object id: 25 lower-case base-36 characters (128 random bits), as swarm mode's ids look. */
export function newId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const n = (pool.readBigUInt64BE(used) << 64n) | pool.readBigUInt64BE(used + 8);
  used += 16;
  return n.toString(36).padStart(25, '0');
}

/** The short form shown in tables. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}
