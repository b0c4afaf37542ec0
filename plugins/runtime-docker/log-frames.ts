import { StringDecoder } from 'node:string_decoder';
import { LOG_TIMESTAMP, MAX_LOG_LINE_CHARS } from '../../core/logs/contract';
import type { LogLine } from '../../core/runtime/contract';

/** Size of the header Docker puts before each frame of a multiplexed (non-TTY) stream. */
const HEADER_BYTES = 8;

/** Stream type byte of a frame header: 1 stdout, 2 stderr (0, stdin, is never sent for logs). */
const STDERR = 2;

/** What is left of one output stream's last entry when it did not end with a line break. */
interface Partial {
  text: string;
  timestamp: string;
}

/**
 * Turns the body of Docker's `GET /containers/{id}/logs?timestamps=1` for a container without a TTY
 * into lines. The body is a sequence of frames (an 8-byte header: stream type, 3 zero bytes, payload
 * size as a big-endian uint32; then the payload), cut into chunks anywhere, a frame header included.
 * Each frame is one log entry, `<timestamp> <text>`; an entry that does not end with a line break (Docker
 * cuts lines longer than 16 KiB) is joined with the next entries of its stream, and the line keeps the
 * timestamp of its first part; a line longer than MAX_LOG_LINE_CHARS is cut there, so that no line is held
 * without bound. Pure: no I/O.
 */
export class LogFrames {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly partial: Record<LogLine['stream'], Partial | undefined> = { stdout: undefined, stderr: undefined };

  /**
   * @param onLine receives each complete line
   * @param now the timestamp of an entry that carries none (read once per such entry)
   */
  constructor(
    private readonly onLine: (line: LogLine) => void,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Takes the next chunk of the body. */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (this.pending.length - offset >= HEADER_BYTES) {
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - HEADER_BYTES < size) break;
      const stream = this.pending[offset] === STDERR ? 'stderr' : 'stdout';
      this.entry(stream, this.pending.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size));
      offset += HEADER_BYTES + size;
    }
    this.pending = this.pending.subarray(offset);
  }

  /** The body ended: delivers what is left of a last line without a line break. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream];
      const text = (rest?.text ?? '') + this.decoders[stream].end();
      this.partial[stream] = undefined;
      if (text.length > 0) this.onLine({ stream, timestamp: rest?.timestamp ?? this.now(), text });
    }
  }

  /** One frame's payload: a timestamp, a space, then text that may end a line begun before. */
  private entry(stream: LogLine['stream'], payload: Buffer): void {
    const space = payload.indexOf(0x20);
    const head = space < 0 ? '' : payload.subarray(0, space).toString('latin1');
    const stamped = LOG_TIMESTAMP.test(head);
    const timestamp = stamped ? head : this.now();
    const text = this.decoders[stream].write(stamped ? payload.subarray(space + 1) : payload);
    const lines = text.split('\n');
    const before = this.partial[stream];
    lines[0] = (before?.text ?? '') + lines[0];
    const first = before?.timestamp ?? timestamp;
    let last = lines.pop()!;
    lines.forEach((line, i) => this.onLine({ stream, timestamp: i === 0 ? first : timestamp, text: line }));
    const lastStamp = lines.length === 0 ? first : timestamp;
    for (; last.length >= MAX_LOG_LINE_CHARS; last = last.slice(MAX_LOG_LINE_CHARS)) this.onLine({ stream, timestamp: lastStamp, text: last.slice(0, MAX_LOG_LINE_CHARS) });
    this.partial[stream] = last.length > 0 ? { text: last, timestamp: lastStamp } : undefined;
  }
}

/**
 * Docker's `since` for a time in epoch milliseconds: Unix seconds with a fraction (`1700000000.250`);
 * the engine reads the fraction's digits as a decimal fraction of a second.
 */
export function dockerSince(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}
