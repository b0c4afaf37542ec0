import { TimeSlice } from '../util/time-slice';

/** Text gathered before it is encoded into a buffer. */
const CHUNK_CHARS = 1 << 20;
/** Longest stretch of writing before other work gets a turn (ms). */
const SLICE_MS = 10;

/**
 * Builds a big UTF-8 buffer from many small strings without holding the event loop: `write` returns
 * undefined, or a promise of a later turn once a slice of SLICE_MS has been used (await it).
 */
export class SliceWriter {
  private readonly chunks: Buffer[] = [];
  private pending = '';
  private readonly slice = new TimeSlice(SLICE_MS);

  write(text: string): Promise<void> | undefined {
    this.pending += text;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
    return this.turn();
  }

  /** Everything written, as one buffer (copied together a slice at a time too). */
  async end(): Promise<Buffer> {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = Buffer.allocUnsafe(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of this.chunks) {
      at += chunk.copy(out, at);
      const turn = this.turn();
      if (turn) await turn;
    }
    return out;
  }

  /** A promise of the next turn of the event loop once the slice is used up; undefined before. */
  private turn(): Promise<void> | undefined {
    return this.slice.due ? this.slice.next() : undefined;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Buffer.from(this.pending));
    this.pending = '';
  }
}
