/**
 * Renders bytes as one big-endian unsigned number in base 36 (0-9, a-z), left-padded with `0` to `width`
 * characters: how swarm renders CA digests and token secrets.
 */
export function base36(bytes: Uint8Array, width: number): string {
  const hex = Buffer.from(bytes).toString('hex') || '0';
  return BigInt(`0x${hex}`).toString(36).padStart(width, '0');
}
