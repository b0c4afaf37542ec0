import fs from 'node:fs';
import path from 'node:path';
import { SnapshotStore } from '../../../plugins/store-raft/snapshot';
import { tempDirs } from './temp-dir';

const tempDir = tempDirs();
const members = [{ id: 'm1', addr: '127.0.0.1:4242' }];
const snap = (term: number, index: number, data = `state@${index}`) => ({ term, index, members, data: Buffer.from(data) });
const text = (s: { term: number; index: number; data: Uint8Array } | undefined) => s && { term: s.term, index: s.index, data: Buffer.from(s.data).toString() };

describe('SnapshotStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it('saves atomically (temp file, fsync, rename, directory fsync) and loads it back', async () => {
    const dir = tempDir();
    const store = new SnapshotStore(dir);
    const fsyncs = jest.spyOn(fs, 'fsync');
    const rename = jest.spyOn(fs.promises, 'rename');
    await store.save(snap(2, 10));
    const name = '0000000000000002-000000000000000a.snap';
    expect(rename).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^${path.join(dir, name)}\\.\\d+\\.tmp$`)), path.join(dir, name));
    expect(fsyncs).toHaveBeenCalledTimes(2); // the file before the rename, the directory after it
    expect(fs.readdirSync(dir)).toEqual([name]);
    const loaded = await store.loadNewest();
    expect(text(loaded)).toEqual({ term: 2, index: 10, data: 'state@10' });
    expect(loaded?.members).toEqual(members);
  });

  it('loads nothing from an empty directory and ignores a temp file left by a crash', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0000000000000001-0000000000000001.snap.tmp'), 'half written');
    expect(await new SnapshotStore(dir).loadNewest()).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('loads the newest of several, and a save keeps only the newest', async () => {
    const [a, b, both] = [tempDir(), tempDir(), tempDir()];
    await new SnapshotStore(a).save(snap(1, 5));
    await new SnapshotStore(b).save(snap(3, 40));
    for (const dir of [a, b]) for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(both, f));
    const store = new SnapshotStore(both);
    expect(text(await store.loadNewest())?.index).toBe(40);
    await store.save(snap(3, 50));
    expect(fs.readdirSync(both)).toEqual(['0000000000000003-0000000000000032.snap']);
  });

  it('keeps a newer snapshot saved while an older one was being written', async () => {
    const dir = tempDir();
    const store = new SnapshotStore(dir);
    await store.save(snap(3, 50));
    await Promise.all([store.save(snap(3, 60)), store.save(snap(3, 40))]);
    // The save of 40 may end last: it removes nothing newer than itself.
    expect(fs.readdirSync(dir)).toContain('0000000000000003-000000000000003c.snap');
    expect(fs.readdirSync(dir)).not.toContain('0000000000000003-0000000000000032.snap');
    expect(text(await store.loadNewest())?.index).toBe(60);
  });

  it('refuses a corrupt snapshot with a message naming the file and offset', async () => {
    const dir = tempDir();
    const store = new SnapshotStore(dir);
    await store.save(snap(1, 7, 'x'.repeat(100)));
    const file = path.join(dir, fs.readdirSync(dir)[0]);
    const buf = fs.readFileSync(file);
    buf[buf.length - 10] ^= 0x20;
    fs.writeFileSync(file, buf);
    await expect(store.loadNewest()).rejects.toThrow(/^snapshot .*0000000000000001-0000000000000007\.snap is corrupt at byte offset \d+: checksum mismatch/);
  });

  it('refuses a snapshot whose header does not match its file name', async () => {
    const dir = tempDir();
    const store = new SnapshotStore(dir);
    await store.save(snap(1, 7));
    fs.renameSync(path.join(dir, '0000000000000001-0000000000000007.snap'), path.join(dir, '0000000000000001-0000000000000009.snap'));
    await expect(store.loadNewest()).rejects.toThrow('does not match the file name');
  });
});
