import * as fs from 'node:fs';
import type { LogLine, LogOptions } from '../../core/runtime/contract';

/** How often a followed log file is checked for new lines. */
const FOLLOW_POLL_MS = 200;

/** One output file of a task and how far it has been read. */
interface Tail {
  readonly stream: LogLine['stream'];
  readonly file: string;
  offset: number;
  /** A line begun but not ended yet. */
  partial: string;
}

/** Reads what `tail.file` holds past `tail.offset` and returns the complete lines it ends. */
function readNew(tail: Tail): string[] {
  let size: number;
  try {
    size = fs.statSync(tail.file).size;
  } catch {
    return [];
  }
  if (size <= tail.offset) return [];
  const fd = fs.openSync(tail.file, 'r');
  const buf = Buffer.alloc(size - tail.offset);
  fs.readSync(fd, buf, 0, buf.length, tail.offset);
  fs.closeSync(fd);
  tail.offset = size;
  const parts = (tail.partial + buf.toString('utf8')).split('\n');
  tail.partial = parts.pop() ?? '';
  return parts;
}

const mtime = (file: string) => {
  try {
    return fs.statSync(file).mtime;
  } catch {
    return undefined;
  }
};

/**
 * Streams a task's `stdout.log` and `stderr.log` as LogLines. The files carry no times: a line already
 * written is stamped with its file's last write, a line read while following with the time it was read.
 * Lines already written come stdout first, then stderr (their interleaving is not recorded), `tail` of
 * them all; `sinceMs` drops a file's existing lines when it was last written before then. With `follow`,
 * new lines are read until `ended()` says the process ended (after a last read) or `signal` aborts.
 */
export async function streamLogFiles(
  files: { readonly stdout: string; readonly stderr: string },
  options: LogOptions,
  onLine: (line: LogLine) => void,
  signal: AbortSignal,
  ended: () => boolean,
): Promise<void> {
  const tails: Tail[] = (['stdout', 'stderr'] as const).map((stream) => ({ stream, file: files[stream], offset: 0, partial: '' }));
  const existing = tails.flatMap((t) => {
    const written = mtime(t.file);
    const lines = readNew(t);
    if (!written || (options.sinceMs !== undefined && written.getTime() < options.sinceMs)) return [];
    return lines.map((text) => ({ stream: t.stream, timestamp: written.toISOString(), text }));
  });
  for (const line of options.tail === undefined ? existing : existing.slice(Math.max(0, existing.length - options.tail))) onLine(line);
  if (!options.follow) return;
  while (!signal.aborted) {
    const done = ended();
    const now = new Date().toISOString();
    for (const t of tails) for (const text of readNew(t)) onLine({ stream: t.stream, timestamp: now, text });
    if (done) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FOLLOW_POLL_MS);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
