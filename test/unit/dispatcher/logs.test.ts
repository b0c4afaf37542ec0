import pino from 'pino';
import { Agent } from '../../../core/agent/agent';
import { ManagerDirectory } from '../../../core/agent/manager-directory';
import { RemoteSession } from '../../../core/agent/remote-session';
import { DispatcherClient } from '../../../core/dispatcher/client';
import type { OrchError } from '../../../core/errors';
import { Hooks } from '../../../core/hooks';
import type { LogStreamMessage } from '../../../core/logs/contract';
import { streamServiceLogs } from '../../../core/logs/service-logs';
import { LoggingRuntime } from '../logs/logging-runtime';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';
import { description, eventually, serveDispatcher, TestDialer } from './helpers';

const silent = pino({ level: 'silent' });
const service = makeService({ replicas: 1 });

describe('logs through the dispatcher (ListenLogSubscriptions and PublishLogs over gRPC)', () => {
  let d: Awaited<ReturnType<typeof serveDispatcher>>;
  const cleanup: (() => unknown)[] = [];
  beforeEach(async () => (d = await serveDispatcher(service, 100)));
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await d.stop();
  });

  /** A worker whose agent serves log subscriptions; resolves once its task `taskId` runs and it listens for logs. */
  async function worker(nodeId: string, taskId: string): Promise<LoggingRuntime> {
    const runtime = new LoggingRuntime();
    const session = new RemoteSession({ managers: new ManagerDirectory([d.target]), dialer: new TestDialer(nodeId), description: description(`host-${nodeId}`), addr: `addr-${nodeId}`, log: silent });
    const agent = new Agent(session, [runtime], new Hooks(), silent, { logs: session });
    await agent.start();
    cleanup.push(() => session.close(), () => agent.stop());
    await d.store.update((tx) => tx.tasks.create(unstored(makeTask(service, taskId, { slot: 1, nodeId, state: 'assigned' }))));
    await eventually(`${taskId} running`, () => d.store.view((r) => r.tasks.get(taskId)?.status.state) === 'running');
    runtime.has(taskId);
    await eventually(`${nodeId} listening for logs`, () => listening(nodeId));
    return runtime;
  }

  /** True when the broker reaches `nodeId` (a probe subscription is not reported incomplete). */
  function listening(nodeId: string): boolean {
    let reached = true;
    const probe = d.dispatcher.logs.subscribe(new Map([[nodeId, ['probe']]]), { follow: true }, { messages: () => undefined, incomplete: () => (reached = false), end: () => undefined });
    probe.close();
    return reached;
  }

  function open(follow: boolean) {
    const messages: LogStreamMessage[] = [];
    let end: ((err?: OrchError) => void) | undefined;
    const ended = new Promise<OrchError | undefined>((resolve) => (end = resolve));
    const stop = streamServiceLogs(d.store, d.dispatcher.logs, { ref: 'web', follow }, { write: (m) => messages.push(m), end: (err) => end!(err) });
    cleanup.push(stop);
    const lines = () => messages.flatMap((m) => m.messages ?? []).map((m) => `${m.taskId} ${m.text}`);
    return { messages, ended, lines };
  }

  it("streams a worker's lines to the caller, in order, and ends", async () => {
    const runtime = await worker('w1', 't1');
    runtime.write('t1', 'stdout', ...Array.from({ length: 1200 }, (_, i) => `line ${i}`));
    const call = open(false);
    expect(await call.ended).toBeUndefined();
    expect(call.lines()).toEqual(Array.from({ length: 1200 }, (_, i) => `t1 line ${i}`));
  });

  it('keeps streaming with follow until the caller goes away', async () => {
    const runtime = await worker('w1', 't1');
    const call = open(true);
    await eventually('the stream to follow', () => runtime.following('t1') === 1);
    runtime.write('t1', 'stderr', 'late');
    await eventually('the late line', () => call.lines().includes('t1 late'));
    cleanup.pop()!();
    await eventually('the worker to stop streaming', () => runtime.following('t1') === 0);
  });

  it("refuses a batch from a node the subscription was not sent to, and one that is not valid, naming the field", async () => {
    const runtime = await worker('w1', 't1');
    open(true);
    await eventually('the stream to follow', () => runtime.following('t1') === 1);
    // A second listener of w1 (it replaces the first) is sent the follow subscriptions naming w1's tasks.
    const ids: string[] = [];
    d.dispatcher.logs.listen('w1', (s) => ids.push(s.id));
    const [id] = ids;
    const other = new DispatcherClient(d.target, new TestDialer('w2').managerCredentials());
    cleanup.push(() => other.close());
    await expect(other.publishLogs({ subscriptionId: id, messages: [] }, 5000)).rejects.toMatchObject({ code: 'permission-denied' });
    const bad = { subscriptionId: id, messages: [{ taskId: 't1', stream: 'stdin', timestamp: 'now', text: 'x' }] };
    await expect(other.publishLogs(bad as never, 5000)).rejects.toMatchObject({ code: 'invalid', field: 'messages[0].stream' });
  });
});
