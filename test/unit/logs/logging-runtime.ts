import type { LogLine, LogOptions } from '../../../core/runtime/contract';
import { FakeRuntime } from '../agent/fake-runtime';

/** A runtime double whose tasks' logs a test writes: `logs` serves them as the contract says. */
export class LoggingRuntime extends FakeRuntime {
  private readonly written = new Map<string, LogLine[]>();
  private readonly followers = new Map<string, Set<(line: LogLine) => void>>();

  /** Gives `taskId` a (so far empty) log. */
  has(taskId: string): this {
    this.written.set(taskId, this.written.get(taskId) ?? []);
    return this;
  }

  /** Appends lines `text…` to the log of `taskId`. */
  write(taskId: string, stream: LogLine['stream'], ...texts: string[]): void {
    for (const text of texts) {
      const line: LogLine = { stream, timestamp: '2026-11-24T10:00:00.000000001Z', text };
      this.has(taskId).written.get(taskId)!.push(line);
      for (const f of this.followers.get(taskId) ?? []) f(line);
    }
  }

  /** How many streams of `taskId` follow its log now. */
  following(taskId: string): number {
    return this.followers.get(taskId)?.size ?? 0;
  }

  async logs(taskId: string, options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    const lines = this.written.get(taskId);
    if (!lines) throw new Error('no such container');
    for (const line of options.tail === undefined ? lines : lines.slice(lines.length - options.tail)) onLine(line);
    if (!options.follow || signal.aborted) return;
    const set = this.followers.get(taskId) ?? new Set();
    this.followers.set(taskId, set);
    set.add(onLine);
    await new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => {
        set.delete(onLine);
        resolve();
      }),
    );
  }
}
