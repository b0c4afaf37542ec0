import fs from 'node:fs';
import path from 'node:path';

/*
 * Promise wrappers over callback fs calls. Each looks its fs function up when called, so a test can
 * spy on `fs.fdatasync` or `fs.fsync` to count syncs.
 */

function settle<T>(resolve: (v: T) => void, reject: (e: Error) => void) {
  return (err: NodeJS.ErrnoException | null, value?: T) => (err ? reject(err) : resolve(value as T));
}

/** Opens `file` with fs flags such as `a`, `ax`, `w`, `r`; resolves with the descriptor. */
export function openFile(file: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => fs.open(file, flags, settle(resolve, reject)));
}

/** Closes a descriptor from `openFile`. */
export function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, settle(resolve, reject)));
}

/** Writes all of `buf` at the file's current position (the end, for a file opened to append). */
export async function writeAll(fd: number, buf: Uint8Array): Promise<void> {
  for (let done = 0; done < buf.length; ) {
    done += await new Promise<number>((resolve, reject) => fs.write(fd, buf, done, buf.length - done, null, settle(resolve, reject)));
  }
}

/** Flushes a file's data (and the size, if it grew) to the disk. */
export function syncData(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, settle(resolve, reject)));
}

/** Flushes a file's data and metadata to the disk. */
export function syncFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, settle(resolve, reject)));
}

/** Makes creations, renames and removals inside `dir` durable. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await openFile(dir, 'r');
  try {
    await syncFile(fd);
  } finally {
    await closeFile(fd);
  }
}

/** Numbers the temporary files of writes that may overlap. */
let tmpSeq = 0;

/**
 * Replaces `file` with `data` (buffers written one after the other) atomically: a temporary file
 * (`<file>.<n>.tmp`) is written and synced, then renamed over it.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const tmp = `${file}.${++tmpSeq}.tmp`;
  const fd = await openFile(tmp, 'w');
  try {
    for (const part of data instanceof Uint8Array ? [data] : data) await writeAll(fd, part);
    await syncFile(fd);
  } finally {
    await closeFile(fd);
  }
  await fs.promises.rename(tmp, file);
  await syncDir(path.dirname(file));
}
