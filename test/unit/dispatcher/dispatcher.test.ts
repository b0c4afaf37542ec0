import { ManagerDirectory } from '../../../core/agent/manager-directory';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import { Agent } from '../../../core/agent/agent';
import { RemoteSession } from '../../../core/agent/remote-session';
import { fromServiceError } from '../../../core/api/grpc-json';
import { DispatcherClient } from '../../../core/dispatcher/client';
import type { AssignmentMessage, SessionRequest, UpdateTaskStatusRequest } from '../../../core/dispatcher/contract';
import type { Dispatcher } from '../../../core/dispatcher/dispatcher';
import type { OrchError } from '../../../core/errors';
import { Hooks } from '../../../core/hooks';
import { startOrchestrators, type Orchestrators } from '../../../core/orchestrator';
import type { ReplicatedStore } from '../../../core/store/replicated-store';
import { FakeRuntime } from '../agent/fake-runtime';
import { makeService, makeTask, unstored } from '../orchestrator/fixtures';
import { CuttableProxy } from '../../helpers/cuttable-proxy';
import { description, eventually, serveDispatcher, TestDialer } from './helpers';

const PERIOD_MS = 100;
const silent = pino({ level: 'silent' });
const service = makeService({ replicas: 1 });

/** Ends when the stream ends; resolves with its messages, or the error that ended it. */
function collect(stream: grpc.ClientReadableStream<AssignmentMessage>): { messages: AssignmentMessage[]; ended: Promise<OrchError | undefined> } {
  const messages: AssignmentMessage[] = [];
  stream.on('data', (m: AssignmentMessage) => messages.push(m));
  const ended = new Promise<OrchError | undefined>((resolve) => {
    stream.on('error', (err: grpc.ServiceError) => resolve(fromServiceError(err)));
    stream.on('end', () => resolve(undefined));
  });
  return { messages, ended };
}

describe('the dispatcher over gRPC', () => {
  let store: ReplicatedStore;
  let dispatcher: Dispatcher;
  let target: string;
  let stopDispatcher: () => Promise<void>;
  const cleanup: (() => unknown)[] = [];

  beforeEach(async () => {
    ({ store, dispatcher, target, stop: stopDispatcher } = await serveDispatcher(service, PERIOD_MS));
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await stopDispatcher();
  });

  /** A worker node: an Agent on a FakeRuntime, in session with the dispatcher at `via`. */
  async function worker(nodeId: string, via = target) {
    const runtime = new FakeRuntime();
    const session = new RemoteSession({ managers: new ManagerDirectory([via]), dialer: new TestDialer(nodeId), description: description(`host-${nodeId}`), addr: `addr-${nodeId}`, log: silent });
    const agent = new Agent(session, [runtime], new Hooks(), silent);
    await agent.start();
    cleanup.push(() => session.close(), () => agent.stop());
    return { runtime, agent };
  }

  function client(nodeId?: string): DispatcherClient {
    const c = new DispatcherClient(target, new TestDialer(nodeId).managerCredentials());
    cleanup.push(() => c.close());
    return c;
  }

  const node = (id: string) => store.view((r) => r.nodes.get(id));
  const task = (id: string) => store.view((r) => r.tasks.get(id));
  const live = () => store.view((r) => r.tasks.byService(service.id).filter((t) => t.desiredState === 'running'));
  const assign = (id: string, nodeId: string, slot = 1) => store.update((tx) => tx.tasks.create(unstored(makeTask(service, id, { slot, nodeId, state: 'assigned' }))));

  it('runs a task on its worker, replaces it when the node goes DOWN, and stops it when the node is back', async () => {
    const proxy = new CuttableProxy({ host: '127.0.0.1', port: Number(target.split(':')[1]) });
    const proxyPort = await proxy.listenTcp();
    cleanup.push(() => proxy.close());
    const w1 = await worker('w1', `127.0.0.1:${proxyPort}`);
    await worker('w2');
    await eventually('both workers ready', () => node('w1')?.status.state === 'ready' && node('w2')?.status.state === 'ready');
    expect(node('w1')).toMatchObject({ spec: { role: 'worker', availability: 'active' }, description: { hostname: 'host-w1' }, status: { addr: 'addr-w1' } });

    const orchestrators: Orchestrators = startOrchestrators(store, new Hooks(), silent);
    cleanup.push(() => orchestrators.stop());
    await assign('t1', 'w1');
    await eventually('t1 running', () => task('t1')?.status.state === 'running');
    expect(task('t1')?.status).toMatchObject({ runtimeId: 'c-t1', addr: '172.17.0.9' });

    proxy.cut();
    await eventually('w1 down', () => node('w1')?.status.state === 'down');
    expect(node('w1')?.status.message).toBe('heartbeat failure');
    expect(node('w2')?.status.state).toBe('ready');
    await orchestrators.idle();
    expect(task('t1')?.desiredState).toBe('shutdown');
    expect(live().map((t) => [t.slot, t.nodeId, t.id === 't1'])).toEqual([[1, undefined, false]]);
    expect(w1.runtime.calls).toEqual(['prepare t1', 'start t1']);

    proxy.resume();
    await eventually('w1 ready again', () => node('w1')?.status.state === 'ready');
    await eventually('t1 stopped', () => task('t1')?.status.state === 'shutdown');
    expect(w1.runtime.calls).toEqual(['prepare t1', 'start t1', 'stop t1']);
    await orchestrators.idle();
    expect(live()).toHaveLength(1);
    expect(live()[0].id).not.toBe('t1');
  });

  it('is found by a worker that started while it could not be reached', async () => {
    const proxy = new CuttableProxy({ host: '127.0.0.1', port: Number(target.split(':')[1]) });
    const proxyPort = await proxy.listenTcp();
    cleanup.push(() => proxy.close());
    proxy.cut();
    await assign('a', 'w1');
    const w1 = await worker('w1', `127.0.0.1:${proxyPort}`);
    await new Promise((r) => setTimeout(r, 3 * PERIOD_MS));
    expect(node('w1')).toBeUndefined();
    proxy.resume();
    await eventually('a running', () => task('a')?.status.state === 'running');
    expect(w1.runtime.calls).toEqual(['prepare a', 'start a']);
  });

  it('keeps a node READY while it heartbeats, well past three periods', async () => {
    await worker('w1');
    await eventually('w1 ready', () => node('w1')?.status.state === 'ready');
    await new Promise((r) => setTimeout(r, 6 * PERIOD_MS));
    expect(node('w1')?.status.state).toBe('ready');
  });

  it('shows a worker only its own tasks, and ignores its updates for other nodes’ tasks', async () => {
    const w1 = await worker('w1');
    const w2 = await worker('w2');
    await assign('a', 'w1', 1);
    await assign('b', 'w2', 2);
    await eventually('both running', () => task('a')?.status.state === 'running' && task('b')?.status.state === 'running');
    expect(w1.runtime.calls).toEqual(['prepare a', 'start a']);
    expect(w2.runtime.calls).toEqual(['prepare b', 'start b']);

    await assign('c', 'w3', 3);
    const { messages } = collect(client('w3').session({ description: description('h'), addr: 'x' }));
    await eventually('a full set', () => messages.length > 0);
    expect(messages[0]).toMatchObject({ full: true, removed: [] });
    expect(messages[0].tasks.map((t) => t.id)).toEqual(['c']);

    await client('w3').updateTaskStatus({ updates: [{ taskId: 'b', status: { state: 'failed', timestamp: '', message: 'forged' } }] }, 5000);
    expect(task('b')?.status.state).toBe('running');
  });

  it('is found again by its workers after a restart, which then drop the tasks deleted meanwhile', async () => {
    const w1 = await worker('w1');
    await assign('a', 'w1', 1);
    await assign('b', 'w1', 2);
    await eventually('both running', () => task('a')?.status.state === 'running' && task('b')?.status.state === 'running');
    await dispatcher.stop();
    await store.update((tx) => tx.tasks.delete('a'));
    dispatcher.start();
    await eventually('a stopped and removed', () => w1.runtime.calls.includes('remove a'));
    const callsFor = (id: string) => w1.runtime.calls.filter((c) => c.endsWith(` ${id}`));
    expect(callsFor('a')).toEqual(['prepare a', 'start a', 'stop a', 'remove a']);
    expect(callsFor('b')).toEqual(['prepare b', 'start b']);
    await w1.agent.settled();
    expect(task('b')?.status.state).toBe('running');
    expect(node('w1')?.status.state).toBe('ready');
  });

  it('ends a node’s session when the same node opens another', async () => {
    const req: SessionRequest = { description: description('h'), addr: 'x' };
    const first = collect(client('w1').session(req));
    await eventually('the first session', () => first.messages.length > 0);
    const second = collect(client('w1').session(req));
    await expect(first.ended).resolves.toBeUndefined();
    await eventually('the second session', () => second.messages.length > 0);
    expect(second.messages[0]).toMatchObject({ full: true, tasks: [] });
  });

  it('answers heartbeats with the cluster period ±10 %', async () => {
    const c = client('w1');
    for (let i = 0; i < 5; i++) {
      const { periodMs } = await c.heartbeat(1000);
      expect(periodMs).toBeGreaterThanOrEqual(PERIOD_MS * 0.9);
      expect(periodMs).toBeLessThanOrEqual(PERIOD_MS * 1.1);
    }
  });

  describe('bad calls', () => {
    const status = { state: 'running', timestamp: '', message: '' };
    const badUpdate = async (req: unknown) => client('w1').updateTaskStatus(req as UpdateTaskStatusRequest, 5000).catch((err: OrchError) => err);

    it('get INVALID_ARGUMENT naming the field, and change nothing', async () => {
      await assign('a', 'w1');
      const version = store.version;
      await expect(badUpdate({ updates: 'x' })).resolves.toMatchObject({ code: 'invalid', field: 'updates' });
      await expect(badUpdate({ updates: [{ taskId: 'a', status: { ...status, state: 'assigned' } }] })).resolves.toMatchObject({ code: 'invalid', field: 'updates[0].status.state' });
      await expect(badUpdate({ updates: [{ taskId: 'a', status: { ...status, exitCode: 1.5 } }] })).resolves.toMatchObject({ code: 'invalid', field: 'updates[0].status.exitCode' });
      await expect(badUpdate({ updates: [{ taskId: 'a', status }], nodeId: 'w2' })).resolves.toMatchObject({ code: 'invalid', field: 'nodeId' });

      const session = collect(client('w1').session({ description: { ...description('h'), resources: { nanoCpus: -1, memoryBytes: 1 } }, addr: 'x' }));
      await expect(session.ended).resolves.toMatchObject({ code: 'invalid', field: 'description.resources.nanoCpus' });
      const noAddr = collect(client('w1').session({ description: description('h') } as SessionRequest));
      await expect(noAddr.ended).resolves.toMatchObject({ code: 'invalid', field: 'addr' });
      expect(store.version).toBe(version);
      expect(node('w1')).toBeUndefined();
    });

    it('get INVALID_ARGUMENT for a payload that is not JSON', async () => {
      const raw = new grpc.Client(target, new TestDialer('w1').managerCredentials());
      cleanup.push(() => raw.close());
      const err = await new Promise<grpc.ServiceError | null>((resolve) =>
        raw.makeUnaryRequest('/orch.Dispatcher/Heartbeat', (b: Buffer) => b, (b: Buffer) => b, Buffer.from('{'), (e) => resolve(e)),
      );
      expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(fromServiceError(err!).field).toBe('request');
    });

    it('get UNAUTHENTICATED without a node identity', async () => {
      await expect(client().heartbeat(1000)).rejects.toMatchObject({ code: 'unauthenticated' });
    });

    it('get UNAVAILABLE once the dispatcher stopped', async () => {
      await dispatcher.stop();
      await expect(client('w1').heartbeat(1000)).rejects.toMatchObject({ code: 'unavailable' });
      dispatcher.start();
    });
  });
});
