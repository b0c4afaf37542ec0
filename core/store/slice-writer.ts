/** Text gathered before it is encoded into a buffer. */
const CHUNK_CHARS = 1 << 20;
/** Longest stretch of writing before other work gets a turn (ms). */
const SLICE_MS = 10;

/**
 * Builds a big UTF-8 buffer from many small strings without holding the event loop: `write` returns a
 * promise that resolves at once, or on a later turn once a slice of SLICE_MS has been used.
 */
export class SliceWriter {
  private readonly chunks: Buffer[] = [];
  private pending = '';
  private slice = performance.now();

  write(text: string): Promise<void> | undefined {
    this.pending += text;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
    if (performance.now() - this.slice < SLICE_MS) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.slice = performance.now();
        resolve();
      }),
    );
  }

  /** Everything written, as one buffer. */
  end(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Buffer.from(this.pending));
    this.pending = '';
  }
}
