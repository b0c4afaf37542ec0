import { crc32 } from 'node:zlib';

/*
 * Checksummed records on disk: `[u32 length][u32 crc32][payload]`, big-endian, where the CRC covers the
 * length field and the payload (so a damaged length is caught too). Used by the WAL and snapshots.
 */
const FRAME_HEADER_BYTES = 8;

/** The record header of `payload`, to write right before it (no copy of a big payload). */
export function frameHeader(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(checksum(header.subarray(0, 4), payload), 4);
  return header;
}

/** Wraps `payload` in a record header. */
export function encodeFrame(payload: Uint8Array): Buffer {
  return Buffer.concat([frameHeader(payload), payload]);
}

/** A good record and where it starts. */
export interface Frame {
  readonly offset: number;
  readonly payload: Buffer;
}

/** The first bad record of a buffer. */
export interface FrameDamage {
  readonly offset: number;
  readonly reason: string;
  /**
   * True when the damage can only be an interrupted last write: the record runs to (or past) the end
   * of the data with no intact record after it, or nothing but zeros follows it.
   */
  readonly torn: boolean;
}

/** Reads records from the start of `buf` up to the end or to the first bad one. */
export function scanFrames(buf: Buffer): { frames: Frame[]; damage?: FrameDamage } {
  const frames: Frame[] = [];
  for (let offset = 0; offset < buf.length; ) {
    const damaged = (reason: string, torn: boolean) => ({ frames, damage: { offset, reason, torn } });
    if (buf.length - offset < FRAME_HEADER_BYTES) return damaged('incomplete record header', true);
    const length = buf.readUInt32BE(offset);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (length === 0) return damaged('record of length 0', onlyZerosFrom(buf, offset));
    if (end > buf.length) {
      // A torn write, unless the length field itself is damaged and intact records follow.
      return damaged(`record of ${length} bytes runs past the end of the data`, !intactFrameAfter(buf, offset));
    }
    const payload = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (checksum(buf.subarray(offset, offset + 4), payload) !== buf.readUInt32BE(offset + 4)) {
      return damaged('checksum mismatch', onlyZerosFrom(buf, end));
    }
    frames.push({ offset, payload });
    offset = end;
  }
  return { frames };
}

function onlyZerosFrom(buf: Buffer, from: number): boolean {
  return buf.subarray(from).every((b) => b === 0);
}

/** Whether a complete record with a good checksum starts anywhere after `offset`. */
function intactFrameAfter(buf: Buffer, offset: number): boolean {
  for (let at = offset + 1; at + FRAME_HEADER_BYTES < buf.length; at++) {
    const length = buf.readUInt32BE(at);
    const end = at + FRAME_HEADER_BYTES + length;
    if (length === 0 || end > buf.length) continue;
    if (checksum(buf.subarray(at, at + 4), buf.subarray(at + FRAME_HEADER_BYTES, end)) === buf.readUInt32BE(at + 4)) return true;
  }
  return false;
}

function checksum(lengthField: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(lengthField));
}
