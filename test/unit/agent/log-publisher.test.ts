import pino from 'pino';
import { LogPublisher } from '../../../core/agent/log-publisher';
import { logMessages, takeBatch } from '../../../core/agent/published-subscription';
import { MAX_LOG_LINE_CHARS, type LogChannel, type LogMessage, type LogPublication, type LogSubscriber } from '../../../core/logs/contract';
import { eventually } from '../dispatcher/helpers';
import { LoggingRuntime } from '../logs/logging-runtime';

const silent = pino({ level: 'silent' });
const msg = (text: string): LogMessage => ({ taskId: 't', stream: 'stdout', timestamp: '2026-11-24T10:00:00Z', text });

/** A channel whose publications a test settles one by one. */
class FakeChannel implements LogChannel {
  subscriber: LogSubscriber | undefined;
  readonly published: LogPublication[] = [];
  private pending: { resolve: () => void; reject: (err: Error) => void }[] = [];

  listenLogs(subscriber: LogSubscriber): () => void {
    this.subscriber = subscriber;
    return () => (this.subscriber = undefined);
  }
  publishLogs(p: LogPublication): Promise<void> {
    this.published.push(p);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  /** Settles the oldest publication under way. */
  settle(err?: Error): void {
    const p = this.pending.shift()!;
    if (err) p.reject(err);
    else p.resolve();
  }
  get inFlight(): number {
    return this.pending.length;
  }
}

function setup() {
  const channel = new FakeChannel();
  const runtime = new LoggingRuntime();
  const publisher = new LogPublisher({ channel, runtimeOf: (id) => (id === 'gone' ? undefined : runtime), log: silent });
  publisher.start();
  return { channel, runtime, publisher };
}

const texts = (p: LogPublication) => p.messages.map((m) => `${m.taskId}:${m.text}`);

describe('LogPublisher', () => {
  it('publishes one batch at a time and closes a subscription without follow with its last batch', async () => {
    const { channel, runtime } = setup();
    runtime.write('a', 'stdout', 'a1', 'a2');
    runtime.write('b', 'stderr', 'b1');
    channel.subscriber!.subscription({ id: 's', taskIds: ['a', 'b'], options: { follow: false } });
    await eventually('a first batch', () => channel.published.length === 1);
    expect(channel.inFlight).toBe(1);
    channel.settle();
    await eventually('the rest, closing', () => channel.published.some((p) => p.close));
    channel.settle();
    const all = channel.published.flatMap(texts);
    expect(all).toEqual(expect.arrayContaining(['a:a1', 'a:a2', 'b:b1']));
    expect(all.filter((t) => t.startsWith('a'))).toEqual(['a:a1', 'a:a2']);
    expect(channel.published.at(-1)).toMatchObject({ subscriptionId: 's', close: true });
    expect(channel.published.filter((p) => p.close)).toHaveLength(1);
  });

  it('reports a task it cannot read with the closing batch', async () => {
    const { channel } = setup();
    channel.subscriber!.subscription({ id: 's', taskIds: ['gone'], options: { follow: false } });
    await eventually('the close', () => channel.published.length === 1);
    expect(channel.published[0]).toEqual({ subscriptionId: 's', messages: [], close: true, error: 'task gone: it has no container on this node' });
  });

  it('follows until the leader closes the subscription, adding tasks it names later', async () => {
    const { channel, runtime } = setup();
    runtime.has('a').has('b');
    channel.subscriber!.subscription({ id: 's', taskIds: ['a'], options: { follow: true } });
    await eventually('a followed', () => runtime.following('a') === 1);
    channel.subscriber!.subscription({ id: 's', taskIds: ['a', 'b'], options: { follow: true } });
    await eventually('b followed', () => runtime.following('b') === 1);
    expect(runtime.following('a')).toBe(1);
    runtime.write('b', 'stdout', 'b1');
    await eventually('the line', () => channel.published.length === 1);
    expect(texts(channel.published[0])).toEqual(['b:b1']);
    channel.subscriber!.subscription({ id: 's', taskIds: [], options: { follow: true }, close: true });
    await eventually('streams stopped', () => runtime.following('a') + runtime.following('b') === 0);
  });

  it('stops a subscription whose batch the leader refuses, and every subscription when the link is lost', async () => {
    const { channel, runtime } = setup();
    runtime.has('a').has('b');
    channel.subscriber!.subscription({ id: 's1', taskIds: ['a'], options: { follow: true } });
    channel.subscriber!.subscription({ id: 's2', taskIds: ['b'], options: { follow: true } });
    await eventually('both followed', () => runtime.following('a') === 1 && runtime.following('b') === 1);
    runtime.write('a', 'stdout', 'a1');
    channel.settle(new Error('log subscription s1 not found'));
    await eventually('s1 stopped', () => runtime.following('a') === 0);
    expect(runtime.following('b')).toBe(1);
    channel.subscriber!.lost();
    await eventually('s2 stopped', () => runtime.following('b') === 0);
  });
});

describe('batches', () => {
  it('takes at most 500 lines, and about 1 MiB of text (at least one line)', () => {
    const queue = Array.from({ length: 1200 }, (_, i) => msg(String(i)));
    expect(takeBatch(queue)).toHaveLength(500);
    expect(queue).toHaveLength(700);
    const big = [msg('x'.repeat(600 * 1024)), msg('y'.repeat(600 * 1024)), msg('z')];
    expect(takeBatch(big).map((m) => m.text[0])).toEqual(['x']);
    expect(takeBatch(big).map((m) => m.text[0])).toEqual(['y', 'z']);
  });

  it('cuts a line longer than MAX_LOG_LINE_CHARS', () => {
    const line = { stream: 'stderr' as const, timestamp: '2026-11-24T10:00:00Z', text: 'x'.repeat(MAX_LOG_LINE_CHARS * 2 + 1) };
    expect(logMessages('t', line).map((m) => m.text.length)).toEqual([MAX_LOG_LINE_CHARS, MAX_LOG_LINE_CHARS, 1]);
    expect(logMessages('t', { ...line, text: '' })).toEqual([{ taskId: 't', stream: 'stderr', timestamp: line.timestamp, text: '' }]);
  });
});
