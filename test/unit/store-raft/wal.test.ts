import fs from 'node:fs';
import path from 'node:path';
import type { Entry } from '../../../plugins/store-raft/types';
import { Wal } from '../../../plugins/store-raft/wal';
import { entry } from './core-cluster';
import { tempDirs } from './temp-dir';

const tempDir = tempDirs();

const segment = (dir: string) => path.join(dir, '0000000000000001.wal');
const summary = (entries: readonly Entry[]) => entries.map((e) => `${e.index}/${e.term}:${Buffer.from(e.data).toString()}`);

async function writeWal(dir: string, batches: Entry[][]): Promise<void> {
  const { wal } = await Wal.open(dir, 0);
  for (const batch of batches) await wal.append(batch, { term: batch.at(-1)!.term, vote: 'a', commit: batch[0].index }, true);
  await wal.close();
}

describe('Wal', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reads back entries and the last hard state', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1), entry(2, 1)], [entry(3, 2)]]);
    const { wal, recovered } = await Wal.open(dir, 0);
    await wal.close();
    expect(summary(recovered.entries)).toEqual(['1/1:e1', '2/1:e2', '3/2:e3']);
    expect(recovered.hardState).toEqual({ term: 2, vote: 'a', commit: 3 });
    expect(recovered.truncatedTail).toBeUndefined();
  });

  it('replays a conflict truncation: a rewritten index replaces the suffix', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1), entry(2, 1), entry(3, 1)], [entry(2, 2, 'new')]]);
    const { wal, recovered } = await Wal.open(dir, 0);
    await wal.close();
    expect(summary(recovered.entries)).toEqual(['1/1:e1', '2/2:new']);
  });

  it('skips entries covered by the snapshot', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1), entry(2, 1), entry(3, 1)]]);
    const { wal, recovered } = await Wal.open(dir, 2);
    await wal.close();
    expect(summary(recovered.entries)).toEqual(['3/1:e3']);
  });

  it('writes a batch with one write and one fdatasync, and skips the sync when not asked', async () => {
    const dir = tempDir();
    const { wal } = await Wal.open(dir, 0);
    const syncs = jest.spyOn(fs, 'fdatasync');
    const writes = jest.spyOn(fs, 'write');
    await wal.append([entry(1, 1), entry(2, 1), entry(3, 1)], { term: 1, commit: 0 }, true);
    expect(syncs).toHaveBeenCalledTimes(1);
    expect(writes).toHaveBeenCalledTimes(1);
    await wal.append([], { term: 1, commit: 3 }, false);
    expect(syncs).toHaveBeenCalledTimes(1);
    await wal.close();
  });

  it('cuts off a torn last record, and appends after it work', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1)]]);
    const before = fs.statSync(segment(dir)).size;
    await writeWal(dir, [[entry(2, 1, 'torn away')]]);
    const after = fs.statSync(segment(dir)).size;
    fs.truncateSync(segment(dir), Math.floor((before + after) / 2));

    const first = await Wal.open(dir, 0);
    expect(summary(first.recovered.entries)).toEqual(['1/1:e1']);
    expect(first.recovered.truncatedTail).toEqual({ file: segment(dir), offset: before });
    await first.wal.append([entry(2, 1, 'again')], undefined, true);
    await first.wal.close();

    const second = await Wal.open(dir, 0);
    await second.wal.close();
    expect(summary(second.recovered.entries)).toEqual(['1/1:e1', '2/1:again']);
    expect(second.recovered.truncatedTail).toBeUndefined();
  });

  it('cuts off a last record whose checksum fails, with a zero-filled tail after it', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1)], [entry(2, 1)]]);
    const buf = fs.readFileSync(segment(dir));
    buf[buf.length - 1] ^= 0xff; // the last record is the second batch's hard state
    fs.writeFileSync(segment(dir), Buffer.concat([buf, Buffer.alloc(64)]));
    const { wal, recovered } = await Wal.open(dir, 0);
    await wal.close();
    expect(summary(recovered.entries)).toEqual(['1/1:e1', '2/1:e2']);
    expect(recovered.hardState).toEqual({ term: 1, vote: 'a', commit: 1 });
    expect(fs.statSync(segment(dir)).size).toBe(recovered.truncatedTail!.offset);
  });

  it('refuses to start when a record before the tail is damaged, naming file and offset', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1)], [entry(2, 1)], [entry(3, 1)]]);
    const buf = fs.readFileSync(segment(dir));
    buf[20] ^= 0x01; // inside the first record's payload
    fs.writeFileSync(segment(dir), buf);
    await expect(Wal.open(dir, 0)).rejects.toThrow(
      `WAL is corrupt: ${segment(dir)} at byte offset 0: checksum mismatch, with more data after it`,
    );
  });

  it('refuses to start when a damaged length field makes a record seem to run past the end', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1)], [entry(2, 1)]]);
    const buf = fs.readFileSync(segment(dir));
    buf.writeUInt32BE(0x00ffffff, 0);
    fs.writeFileSync(segment(dir), buf);
    await expect(Wal.open(dir, 0)).rejects.toThrow(`WAL is corrupt: ${segment(dir)} at byte offset 0: record of 16777215 bytes runs past`);
  });

  it('refuses to start when entries are missing after the snapshot', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(5, 1)]]);
    await expect(Wal.open(dir, 2)).rejects.toThrow('entry 5 follows a gap: entry 3 is missing');
  });

  it('starts a self-contained segment and drops the older ones', async () => {
    const dir = tempDir();
    await writeWal(dir, [[entry(1, 1), entry(2, 1), entry(3, 1)]]);
    const { wal } = await Wal.open(dir, 0);
    await wal.startSegment({ term: 1, commit: 2 }, [entry(3, 1)]);
    await wal.append([entry(4, 1)], undefined, true);
    await wal.close();
    expect(fs.readdirSync(dir)).toEqual(['0000000000000002.wal']);
    const reopened = await Wal.open(dir, 2);
    await reopened.wal.close();
    expect(summary(reopened.recovered.entries)).toEqual(['3/1:e3', '4/1:e4']);
    expect(reopened.recovered.hardState).toEqual({ term: 1, commit: 2 });
  });
});
