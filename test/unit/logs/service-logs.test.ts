import pino from 'pino';
import { LocalLogChannel } from '../../../core/agent/local-log-channel';
import { LogPublisher } from '../../../core/agent/log-publisher';
import type { OrchError } from '../../../core/errors';
import { LogBroker } from '../../../core/logs/broker';
import type { LogStreamMessage } from '../../../core/logs/contract';
import { streamServiceLogs, type ServiceLogsQuery } from '../../../core/logs/service-logs';
import type { Task } from '../../../core/model/types';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { eventually } from '../dispatcher/helpers';
import { makeNode, makeService, makeTask, unstored } from '../orchestrator/fixtures';
import { LoggingRuntime } from './logging-runtime';

const silent = pino({ level: 'silent' });
const service = makeService({ replicas: 2 });
/** A task of `web` on `nodeId`; prepared there (it has a container) unless `prepared` is false. */
const task = (id: string, nodeId: string, slot: number, prepared = true): Task => {
  const t = makeTask(service, id, { nodeId, slot });
  return { ...t, status: { ...t.status, ...(prepared && { runtimeId: `c-${id}` }) } };
};

describe('streamServiceLogs (the leader side of ServiceLogs, with nodes served locally)', () => {
  let store: ReplicatedStore;
  let broker: LogBroker;
  const runtimes = { n1: new LoggingRuntime(), n2: new LoggingRuntime() };
  const publishers: LogPublisher[] = [];

  beforeEach(async () => {
    store = new ReplicatedStore(new MemoryLog());
    await store.start();
    await store.update((tx) => {
      tx.services.create(unstored(service));
      tx.nodes.create(unstored(makeNode('n1', { hostname: 'alpha' })));
      tx.nodes.create(unstored(makeNode('n2', { hostname: 'beta' })));
      for (const t of [task('t1', 'n1', 1), task('t2', 'n2', 2), task('t3', 'n2', 3, false)]) tx.tasks.create(unstored(t));
    });
    broker = new LogBroker();
    broker.start();
    runtimes.n1 = new LoggingRuntime();
    runtimes.n2 = new LoggingRuntime();
    runtimes.n1.write('t1', 'stdout', 'a1', 'a2', 'a3');
    runtimes.n2.write('t2', 'stderr', 'b1', 'b2');
    for (const [nodeId, runtime] of Object.entries(runtimes)) {
      const p = new LogPublisher({ channel: new LocalLogChannel(broker, nodeId), runtimeOf: () => runtime, log: silent });
      p.start();
      publishers.push(p);
    }
  });

  afterEach(() => {
    for (const p of publishers.splice(0)) p.stop();
  });

  /** Opens a call; collects what it streams. */
  function open(q: Partial<ServiceLogsQuery>) {
    const messages: LogStreamMessage[] = [];
    let end: ((err?: OrchError) => void) | undefined;
    const ended = new Promise<OrchError | undefined>((resolve) => (end = resolve));
    const stop = streamServiceLogs(store, broker, { ref: 'web', follow: false, ...q }, { write: (m) => messages.push(m), end: (err) => end!(err) });
    const lines = () => messages.flatMap((m) => m.messages ?? []).map((m) => `${m.taskId} ${m.stream} ${m.text}`);
    return { messages, ended, stop, lines };
  }

  it('names the tasks that have logs, streams their last lines from their nodes, and ends', async () => {
    const call = open({ tail: 2 });
    expect(await call.ended).toBeUndefined();
    expect(call.messages[0]).toEqual({
      tasks: [
        { taskId: 't1', name: 'web.1', nodeId: 'n1', node: 'alpha' },
        { taskId: 't2', name: 'web.2', nodeId: 'n2', node: 'beta' },
      ],
    });
    expect(call.lines().sort()).toEqual(['t1 stdout a2', 't1 stdout a3', 't2 stderr b1', 't2 stderr b2']);
  });

  it('reads one task by id', async () => {
    const call = open({ ref: 't2' });
    expect(await call.ended).toBeUndefined();
    expect(call.lines()).toEqual(['t2 stderr b1', 't2 stderr b2']);
  });

  it('refuses a reference that names nothing', () => {
    expect(() => open({ ref: 'nope' })).toThrow('service or task nope not found');
  });

  it('names the node whose logs are missing and still ends', async () => {
    publishers[1].stop();
    const call = open({});
    expect(await call.ended).toBeUndefined();
    expect(call.messages.flatMap((m) => m.incomplete ?? [])).toEqual([{ nodeId: 'n2', node: 'beta', reason: 'the node is not connected to the leader (down or unreachable)' }]);
    expect(call.lines()).toEqual(['t1 stdout a1', 't1 stdout a2', 't1 stdout a3']);
  });

  it('with follow, streams new lines and the tasks that start later, until stopped', async () => {
    const call = open({ follow: true, tail: 1 });
    await eventually('the tails', () => call.lines().length === 2);
    runtimes.n1.write('t1', 'stdout', 'a4');
    await eventually('a new line', () => call.lines().includes('t1 stdout a4'));
    runtimes.n2.write('t4', 'stdout', 'd1');
    await store.update((tx) => tx.tasks.create(unstored(task('t4', 'n2', 2))));
    await eventually('the task that started', () => call.lines().includes('t4 stdout d1'));
    expect(call.messages).toContainEqual({ tasks: [{ taskId: 't4', name: 'web.2', nodeId: 'n2', node: 'beta' }] });
    call.stop();
    await eventually('the nodes to stop streaming', () => runtimes.n1.following('t1') === 0 && runtimes.n2.following('t4') === 0);
  });

  it('with follow, ends when the service is removed', async () => {
    const call = open({ follow: true });
    await store.update((tx) => tx.services.delete(service.id));
    expect(await call.ended).toBeUndefined();
  });
});
