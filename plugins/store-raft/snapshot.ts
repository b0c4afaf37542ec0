import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './durable-fs';
import { encodeFrame, frameHeader, scanFrames } from './frame';
import { parseMembers } from './membership';
import type { Snapshot } from './types';

const FORMAT = 'orch-raft-snapshot/1';
const SNAPSHOT_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;
const hex = (n: number) => n.toString(16).padStart(16, '0');
const snapshotName = (s: { term: number; index: number }) => `${hex(s.term)}-${hex(s.index)}.snap`;

/**
 * Snapshot files `<term>-<index>.snap` (16 hex digits each) in one directory. A file is two framed
 * records (see frame.ts): a JSON header `{format, term, index, members}`, then the state machine's data.
 * Files are written atomically; each save removes the older ones.
 */
export class SnapshotStore {
  constructor(private readonly dir: string) {}

  /**
   * Loads the newest snapshot, if any. Leftover temporary files of an interrupted save are removed.
   * @throws Error naming the file and byte offset when the newest snapshot is corrupt
   */
  async loadNewest(): Promise<Snapshot | undefined> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const names = fs.readdirSync(this.dir);
    for (const tmp of names.filter((n) => n.endsWith('.tmp'))) await fs.promises.unlink(path.join(this.dir, tmp));
    const newest = this.list(names).at(-1);
    return newest && readSnapshot(path.join(this.dir, newest.name), newest);
  }

  /**
   * Writes `snapshot` durably, then removes older snapshots (a newer one, saved meanwhile, stays). Saves
   * may overlap.
   */
  async save(snapshot: Snapshot): Promise<void> {
    const header = Buffer.from(JSON.stringify({ format: FORMAT, term: snapshot.term, index: snapshot.index, members: snapshot.members }));
    const name = snapshotName(snapshot);
    await fs.promises.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path.join(this.dir, name), [encodeFrame(header), frameHeader(snapshot.data), snapshot.data]);
    const files = this.list(fs.readdirSync(this.dir));
    for (const old of files.slice(0, files.findIndex((f) => f.name === name))) await fs.promises.unlink(path.join(this.dir, old.name)).catch(ignoreGone);
  }

  /** Snapshot files among `names`, oldest first (by index, then term). */
  private list(names: readonly string[]): { name: string; term: number; index: number }[] {
    return names
      .map((name) => ({ name, m: SNAPSHOT_NAME.exec(name) }))
      .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
      .map(({ name, m }) => ({ name, term: parseInt(m[1], 16), index: parseInt(m[2], 16) }))
      .sort((a, b) => a.index - b.index || a.term - b.term);
  }
}

/** An unlink that lost a race with another save's. */
function ignoreGone(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

function readSnapshot(file: string, expected: { term: number; index: number }): Snapshot {
  const corrupt = (offset: number, what: string) =>
    new Error(`snapshot ${file} is corrupt at byte offset ${offset}: ${what}; refusing to start rather than lose state`);
  const { frames, damage } = scanFrames(fs.readFileSync(file));
  if (damage) throw corrupt(damage.offset, damage.reason);
  if (frames.length !== 2) throw corrupt(0, `expected a header and a data record, found ${frames.length} records`);
  let header: { format?: unknown; term?: unknown; index?: unknown; members?: unknown };
  try {
    header = JSON.parse(frames[0].payload.toString('utf8'));
  } catch {
    throw corrupt(frames[0].offset, 'the header is not JSON');
  }
  if (header.format !== FORMAT || header.term !== expected.term || header.index !== expected.index) {
    throw corrupt(frames[0].offset, `the header ${frames[0].payload.toString('utf8')} does not match the file name`);
  }
  let members;
  try {
    members = parseMembers(header.members);
  } catch (err) {
    throw corrupt(frames[0].offset, `the header's members: ${(err as Error).message}`);
  }
  return { term: expected.term, index: expected.index, members, data: frames[1].payload };
}
