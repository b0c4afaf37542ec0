import pino from 'pino';
import { Agent } from '../../../core/agent/agent';
import { LocalSession } from '../../../core/agent/local-session';
import { Hooks } from '../../../core/hooks';
import { parseServiceSpec } from '../../../core/model/service-spec';
import type { DesiredState, TaskState } from '../../../core/model/task-state';
import type { Task } from '../../../core/model/types';
import type { AgentSession, AssignmentChange, StatusUpdate } from '../../../core/agent/contract';
import type { ClusterStore } from '../../../core/store/contract';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { FakeRuntime } from './fake-runtime';

const NODE = 'n1';
const spec = parseServiceSpec({
  name: 'web',
  task: { container: { image: 'img' } },
  endpoint: { ports: [{ targetPort: 80, publishedPort: 8080, publishMode: 'host' }] },
});

function task(id: string, desiredState: DesiredState = 'running', state: TaskState = 'assigned'): Omit<Task, 'meta'> {
  return { id, serviceId: 's', serviceName: 'web', slot: 1, nodeId: NODE, specVersion: 1, spec: spec.task, ports: spec.endpoint.ports, desiredState, status: { state, timestamp: '', message: '' }, restartHistory: [] };
}

async function setup(runtime = new FakeRuntime()) {
  const store = new ReplicatedStore(new MemoryLog());
  await store.start();
  // The fake runtime's tasks listen nowhere: no wait for their ports to answer.
  const agent = new Agent(new LocalSession(store, NODE), [runtime], new Hooks(), pino({ enabled: false }), { portReadyTimeoutMs: 0 });
  return { store, agent, runtime };
}

const stateOf = (store: ClusterStore, id: string) => store.view((r) => r.tasks.get(id)?.status);
const settle = async (agent: Agent) => {
  for (let i = 0; i < 5; i++) {
    await agent.settled();
    await new Promise((r) => setImmediate(r));
  }
};

describe('agent', () => {
  it('drives an assigned task to RUNNING with its address and host port binding', async () => {
    const { store, agent, runtime } = await setup();
    await agent.start();
    await store.update((tx) => tx.tasks.create(task('t1')));
    await settle(agent);
    expect(stateOf(store, 't1')).toMatchObject({ state: 'running', addr: '172.17.0.9', runtimeId: 'c-t1', message: 'started' });
    expect(runtime.calls).toEqual(['prepare t1', 'start t1']);
    expect(runtime.plans.get('t1')).toEqual({ networks: [], hostPorts: [{ protocol: 'tcp', targetPort: 80, hostPort: 8080 }], exposedPorts: [], dns: [] });
  });

  it('leaves a task alone until the scheduler assigned it (a global task names its node before its addresses are allocated)', async () => {
    const { store, agent, runtime } = await setup();
    await agent.start();
    await store.update((tx) => tx.tasks.create(task('t1', 'running', 'new')));
    await settle(agent);
    expect(stateOf(store, 't1')?.state).toBe('new');
    expect(runtime.calls).toEqual([]);
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get('t1')!, status: { state: 'assigned', timestamp: '', message: 'assigned' } }));
    await settle(agent);
    expect(stateOf(store, 't1')?.state).toBe('running');
  });

  it('reports a non-zero exit as FAILED with the code, and exit 0 as COMPLETE', async () => {
    const { store, agent, runtime } = await setup();
    await agent.start();
    await store.update((tx) => {
      tx.tasks.create(task('t1'));
      tx.tasks.create({ ...task('t2'), slot: 2 });
    });
    await settle(agent);
    runtime.exit('t1', { exitCode: 137 });
    runtime.exit('t2', { exitCode: 0 });
    await settle(agent);
    expect(stateOf(store, 't1')).toMatchObject({ state: 'failed', exitCode: 137, err: 'task: non-zero exit (137)' });
    expect(stateOf(store, 't2')).toMatchObject({ state: 'complete', exitCode: 0 });
  });

  it('holds a task desired READY at ACCEPTED, and starts it once raised', async () => {
    const { store, agent, runtime } = await setup();
    await agent.start();
    await store.update((tx) => tx.tasks.create(task('t1', 'ready')));
    await settle(agent);
    expect(stateOf(store, 't1')?.state).toBe('accepted');
    expect(runtime.calls).toEqual([]);
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get('t1')!, desiredState: 'running' }));
    await settle(agent);
    expect(stateOf(store, 't1')?.state).toBe('running');
  });

  it('holds a started task without a health check at STARTING until its TCP target port answers', async () => {
    const net = await import('node:net');
    const server = net.createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    server.close();
    const runtime = new FakeRuntime();
    runtime.addr = '127.0.0.1';
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const agent = new Agent(new LocalSession(store, NODE), [runtime], new Hooks(), pino({ enabled: false }), { portReadyTimeoutMs: 5000 });
    await agent.start();
    await store.update((tx) => tx.tasks.create({ ...task('t1'), ports: [{ protocol: 'tcp', targetPort: port, publishedPort: 0, publishMode: 'ingress' }] }));
    await new Promise((r) => setTimeout(r, 300));
    expect(stateOf(store, 't1')?.state).toBe('starting');
    const listening = net.createServer().listen(port, '127.0.0.1');
    for (let i = 0; i < 100 && stateOf(store, 't1')?.state !== 'running'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stateOf(store, 't1')?.state).toBe('running');
    listening.close();
    await agent.stop();
  });

  it('rejects a task whose prepare fails, with the reason', async () => {
    const runtime = new FakeRuntime();
    runtime.failPrepare = 'image "x" not found';
    const { store, agent } = await setup(runtime);
    await agent.start();
    await store.update((tx) => tx.tasks.create(task('t1')));
    await settle(agent);
    expect(stateOf(store, 't1')).toMatchObject({ state: 'rejected', err: 'image "x" not found' });
  });

  it('stops a task desired SHUTDOWN and keeps its container as history; removes it when the task is deleted', async () => {
    const { store, agent, runtime } = await setup();
    await agent.start();
    await store.update((tx) => tx.tasks.create(task('t1')));
    await settle(agent);
    await store.update((tx) => tx.tasks.update({ ...tx.tasks.get('t1')!, desiredState: 'shutdown' }));
    await settle(agent);
    expect(stateOf(store, 't1')?.state).toBe('shutdown');
    expect(runtime.calls).toEqual(['prepare t1', 'start t1', 'stop t1']);
    await store.update((tx) => tx.tasks.delete('t1'));
    await settle(agent);
    expect(runtime.calls).toEqual(['prepare t1', 'start t1', 'stop t1', 'remove t1']);
  });

  it('adopts a running container of a known task at start and removes strays', async () => {
    const runtime = new FakeRuntime();
    runtime.recovered = [
      { taskId: 't1', runtimeId: 'c-t1', running: true, addr: '172.17.0.5' },
      { taskId: 'stray', runtimeId: 'c-stray', running: true },
    ];
    const { store, agent } = await setup(runtime);
    await store.update((tx) => tx.tasks.create(task('t1', 'running', 'running')));
    await agent.start();
    await settle(agent);
    expect(runtime.calls).toEqual(['remove stray']);
    runtime.exit('t1', { exitCode: 1 });
    await settle(agent);
    expect(stateOf(store, 't1')).toMatchObject({ state: 'failed', exitCode: 1 });
  });

  it('keeps checking an adopted task with the health check its image declares', async () => {
    const runtime = new FakeRuntime();
    runtime.recovered = [{ taskId: 't1', runtimeId: 'c-t1', running: true, healthcheck: { test: ['CMD-SHELL', 'check'], intervalMs: 5, timeoutMs: 100, retries: 1, startPeriodMs: 0 } }];
    const store = new ReplicatedStore(new MemoryLog());
    await store.start();
    const hooks = new Hooks();
    hooks.health.check.for('exec').tapPromise('test', async () => ({ healthy: false, output: 'image check failed' }));
    const agent = new Agent(new LocalSession(store, NODE), [runtime], hooks, pino({ enabled: false }));
    await store.update((tx) => tx.tasks.create(task('t1', 'running', 'running')));
    await agent.start();
    for (let i = 0; i < 50 && stateOf(store, 't1')?.state !== 'failed'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(stateOf(store, 't1')).toMatchObject({ state: 'failed', err: 'task: unhealthy container: image check failed' });
    await agent.stop();
  });

  it('reports FAILED for a task whose container exited while the daemon was down', async () => {
    const runtime = new FakeRuntime();
    runtime.recovered = [{ taskId: 't1', runtimeId: 'c-t1', running: false, exitCode: 137 }];
    const { store, agent } = await setup(runtime);
    await store.update((tx) => tx.tasks.create(task('t1', 'running', 'running')));
    await agent.start();
    await settle(agent);
    expect(stateOf(store, 't1')).toMatchObject({ state: 'failed', exitCode: 137 });
    expect(stateOf(store, 't1')?.err).toMatch(/exited while the node was down/);
  });

  it('never moves a task backwards', async () => {
    const { store, agent } = await setup();
    await agent.start();
    await store.update((tx) => tx.tasks.create(task('t1', 'running', 'running')));
    await settle(agent);
    expect(stateOf(store, 't1')?.state).toBe('running');
    await new LocalSession(store, NODE).report([{ taskId: 't1', status: { state: 'starting', timestamp: '', message: 'late' } }]);
    expect(stateOf(store, 't1')?.state).toBe('running');
  });

  it('treats a task missing from a later complete set (after a reconnection) as removed', async () => {
    const runtime = new FakeRuntime();
    let push: (change: AssignmentChange) => void = () => {};
    const reported: StatusUpdate[] = [];
    const session: AgentSession = {
      subscribe: (onChange) => {
        push = onChange;
        return () => {};
      },
      report: async (updates) => void reported.push(...updates),
    };
    const agent = new Agent(session, [runtime], new Hooks(), pino({ enabled: false }));
    await agent.start();
    const stored = (id: string, desiredState: DesiredState = 'running') => ({ ...task(id, desiredState), meta: { version: 1, createdAt: '', updatedAt: '' } });
    push({ full: true, tasks: [stored('t1'), stored('t2')], removed: [] });
    await settle(agent);
    push({ full: true, tasks: [stored('t1', 'shutdown')], removed: [] });
    await settle(agent);
    expect(runtime.calls.filter((c) => !c.startsWith('prepare') && !c.startsWith('start')).sort()).toEqual(['remove t2', 'stop t1', 'stop t2']);
    expect(reported.filter((u) => u.status.state === 'shutdown').map((u) => u.taskId).sort()).toEqual(['t1', 't2']);
  });
});
