import type { Logger } from 'pino';
import { MAX_LOG_LINE_CHARS, type LogChannel, type LogMessage } from '../logs/contract';
import type { LogLine, LogOptions, Runtime } from '../runtime/contract';

/** What a node needs to serve log subscriptions. */
export interface LogPublisherDeps {
  readonly channel: LogChannel;
  /** The runtime that runs (or ran) a task on this node, if any. */
  readonly runtimeOf: (taskId: string) => Runtime | undefined;
  readonly log: Logger;
}

/** Most lines in one batch (within MAX_LOG_BATCH, which the leader enforces). */
const BATCH_LINES = 500;
/** Most characters of text in one batch, well within gRPC's default message size. */
const BATCH_CHARS = 1024 * 1024;

/** The lines of `line` as published: its text cut into pieces of at most MAX_LOG_LINE_CHARS. */
export function logMessages(taskId: string, line: LogLine): LogMessage[] {
  const pieces: LogMessage[] = [];
  for (let at = 0; at === 0 || at < line.text.length; at += MAX_LOG_LINE_CHARS) {
    pieces.push({ taskId, stream: line.stream, timestamp: line.timestamp, text: line.text.slice(at, at + MAX_LOG_LINE_CHARS) });
  }
  return pieces;
}

/** Takes the next batch off the front of `queue`: at most BATCH_LINES lines and about BATCH_CHARS of text. */
export function takeBatch(queue: LogMessage[]): LogMessage[] {
  let n = 0;
  let chars = 0;
  while (n < queue.length && n < BATCH_LINES && (n === 0 || chars + queue[n].text.length <= BATCH_CHARS)) chars += queue[n++].text.length;
  return queue.splice(0, n);
}

/**
 * One log subscription as a node serves it: streams each task's log from its runtime and publishes the
 * lines in batches, one batch at a time (so each task's lines stay in order). Without follow it closes
 * the subscription once every stream ended and everything is sent; read failures go up as `error`. A
 * batch the leader refuses (the subscription is over, or the leader moved) ends it here.
 */
export class PublishedSubscription {
  private readonly abort = new AbortController();
  private readonly streamed = new Set<string>();
  private reading = 0;
  private readonly queue: LogMessage[] = [];
  private readonly errors: string[] = [];
  private sending = false;
  private over = false;

  /** @param onOver called once when the subscription ends on its own (closed, or refused). */
  constructor(
    readonly id: string,
    private readonly follow: boolean,
    private readonly deps: LogPublisherDeps,
    private readonly onOver: () => void,
  ) {}

  /** Streams the logs of the tasks of `taskIds` not streamed yet, with `options`. */
  stream(taskIds: readonly string[], options: LogOptions): void {
    for (const taskId of taskIds) {
      if (this.over || this.streamed.has(taskId)) continue;
      this.streamed.add(taskId);
      this.reading++;
      void this.read(taskId, options);
    }
    this.flush();
  }

  /** Ends the subscription here: streams stop and nothing more is sent. */
  cancel(): void {
    this.over = true;
    this.abort.abort();
  }

  private async read(taskId: string, options: LogOptions): Promise<void> {
    const runtime = this.deps.runtimeOf(taskId);
    try {
      if (!runtime) throw new Error('it has no container on this node');
      if (!runtime.logs) throw new Error(`runtime "${runtime.name}" cannot read logs`);
      await runtime.logs(taskId, options, (line) => this.push(logMessages(taskId, line)), this.abort.signal);
    } catch (err) {
      this.errors.push(`task ${taskId}: ${(err as Error).message}`);
    } finally {
      this.reading--;
      this.flush();
    }
  }

  private push(messages: readonly LogMessage[]): void {
    if (this.over) return;
    this.queue.push(...messages);
    this.flush();
  }

  /** Sends the next batch unless one is on its way; without follow, the last one closes the subscription. */
  private flush(): void {
    if (this.sending || this.over) return;
    const closing = !this.follow && this.reading === 0;
    if (this.queue.length === 0 && this.errors.length === 0 && !closing) return;
    const messages = takeBatch(this.queue);
    const close = closing && this.queue.length === 0;
    const error = this.errors.length > 0 ? this.errors.splice(0).join('; ') : undefined;
    this.sending = true;
    this.deps.channel.publishLogs({ subscriptionId: this.id, messages, ...(close && { close }), ...(error !== undefined && { error }) }).then(
      () => {
        this.sending = false;
        if (close) this.end();
        else this.flush();
      },
      (err) => {
        this.deps.log.debug({ subscription: this.id, err: (err as Error).message }, 'log batch refused; the subscription ends here');
        this.end();
      },
    );
  }

  private end(): void {
    if (this.over) return;
    this.cancel();
    this.onOver();
  }
}
