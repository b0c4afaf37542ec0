import fs from 'node:fs';
import path from 'node:path';
import { closeFile, openFile, syncData, syncDir, syncFile, writeAll } from './durable-fs';
import { encodeFrame, scanFrames } from './frame';
import type { Entry, HardState } from './types';
import { WalReplay } from './wal-replay';
import { decodeRecord, encodeEntry, encodeHardState } from './wal-records';

const SEGMENT_NAME = /^([0-9a-f]{16})\.wal$/;
const segmentName = (seq: number) => `${seq.toString(16).padStart(16, '0')}.wal`;

/** What the WAL held. */
export interface WalRecovery {
  readonly hardState: HardState;
  /** Entries after the snapshot index given to `open`, contiguous. */
  readonly entries: Entry[];
  /** Set when a torn last record (an interrupted write) was cut off. */
  readonly truncatedTail?: { readonly file: string; readonly offset: number };
}

/**
 * The write-ahead log: segment files of framed records (see frame.ts) holding entries and hard states.
 * Appends go to the newest segment; each batch is one write and, when asked, one fdatasync.
 * After a snapshot, `startSegment` begins a self-contained segment and removes the older ones.
 */
export class Wal {
  private constructor(
    private readonly dir: string,
    private segments: number[],
    private fd: number,
  ) {}

  /**
   * Opens (creating if needed) the WAL in `dir` and reads it back. A torn last record of the newest
   * segment is cut off; any other damage is an error naming the file and byte offset.
   * @param snapshotIndex entries up to this index are covered by a snapshot and skipped
   */
  static async open(dir: string, snapshotIndex: number): Promise<{ wal: Wal; recovered: WalRecovery }> {
    await fs.promises.mkdir(dir, { recursive: true });
    const segments = fs
      .readdirSync(dir)
      .map((name) => SEGMENT_NAME.exec(name)?.[1])
      .filter((seq): seq is string => seq !== undefined)
      .map((seq) => parseInt(seq, 16))
      .sort((a, b) => a - b);
    const replay = new WalReplay(snapshotIndex);
    let truncatedTail: WalRecovery['truncatedTail'];
    for (const [i, seq] of segments.entries()) {
      const file = path.join(dir, segmentName(seq));
      const cut = readSegment(file, i === segments.length - 1, replay);
      if (cut !== undefined) truncatedTail = { file, offset: cut };
    }
    if (segments.length === 0) {
      segments.push(1);
      await createFile(path.join(dir, segmentName(1)));
    }
    const fd = await openFile(path.join(dir, segmentName(segments.at(-1)!)), 'a');
    return { wal: new Wal(dir, segments, fd), recovered: { hardState: replay.hardState, entries: replay.entries, truncatedTail } };
  }

  /** Appends entries and/or a hard state as one write; with `sync`, resolves once they are on disk. */
  async append(entries: readonly Entry[], hardState: HardState | undefined, sync: boolean): Promise<void> {
    await writeAll(this.fd, encodeBatch(entries, hardState));
    if (sync) await syncData(this.fd);
  }

  /**
   * Starts a new segment holding `hardState` and `entries` (the log after a snapshot), syncs it, then
   * removes every older segment: the snapshot and the new segment together replace them.
   */
  async startSegment(hardState: HardState, entries: readonly Entry[]): Promise<void> {
    const seq = this.segments.at(-1)! + 1;
    const file = path.join(this.dir, segmentName(seq));
    const fd = await openFile(file, 'ax');
    await writeAll(fd, encodeBatch(entries, hardState));
    await syncFile(fd);
    await syncDir(this.dir);
    await closeFile(this.fd);
    this.fd = fd;
    const old = this.segments;
    this.segments = [seq];
    for (const s of old) await fs.promises.unlink(path.join(this.dir, segmentName(s)));
    await syncDir(this.dir);
  }

  async close(): Promise<void> {
    await closeFile(this.fd);
  }
}

function encodeBatch(entries: readonly Entry[], hardState: HardState | undefined): Buffer {
  const frames = entries.map((e) => encodeFrame(encodeEntry(e)));
  if (hardState) frames.push(encodeFrame(encodeHardState(hardState)));
  return Buffer.concat(frames);
}

/**
 * Replays one segment into `replay`. Returns the offset it was cut at when its last record was torn
 * (allowed only in the newest segment, whose last write may have been interrupted).
 */
function readSegment(file: string, newest: boolean, replay: WalReplay): number | undefined {
  const { frames, damage } = scanFrames(fs.readFileSync(file));
  for (const f of frames) {
    try {
      replay.add(decodeRecord(f.payload));
    } catch (err) {
      throw corrupt(file, f.offset, (err as Error).message);
    }
  }
  if (!damage) return undefined;
  if (!damage.torn) throw corrupt(file, damage.offset, `${damage.reason}, with more data after it`);
  if (!newest) throw corrupt(file, damage.offset, `${damage.reason}, in a segment that is not the newest`);
  truncateFile(file, damage.offset);
  return damage.offset;
}

function corrupt(file: string, offset: number, what: string): Error {
  return new Error(`WAL is corrupt: ${file} at byte offset ${offset}: ${what}; refusing to start rather than lose committed entries`);
}

function truncateFile(file: string, length: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.ftruncateSync(fd, length);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function createFile(file: string): Promise<void> {
  await closeFile(await openFile(file, 'ax'));
  await syncDir(path.dirname(file));
}
