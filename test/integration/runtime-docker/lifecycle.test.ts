import { execFileSync } from 'node:child_process';
import type { DockerRuntime } from '../../../plugins/runtime-docker';
import { cleanUp, docker, ensureTestImage, eventually, HTTPD, httpGet, makeTask, NO_NETWORK, nodeId, openRuntime, SIGTERM_AWARE } from './fixture';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

let runtime: DockerRuntime;

beforeAll(async () => {
  ensureTestImage();
  runtime = await openRuntime('lifecycle');
});

afterAll(async () => {
  runtime?.close();
  await cleanUp();
});

describe('DockerRuntime task lifecycle', () => {
  it('runs a web server and reports the address it answers on', async () => {
    const task = makeTask({ args: HTTPD });
    const { runtimeId } = await runtime.prepare(task, NO_NETWORK);
    const { addr } = await runtime.start(task.id);
    expect(addr).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const body = await eventually(() => httpGet(`http://${addr}:80/`));
    expect(body.trim()).toBe(runtimeId.slice(0, 12));
  });

  it('puts name, env, labels, limits and stop timeout on the container', async () => {
    const task = makeTask({
      slot: 7,
      env: ['GREETING=hello', 'EMPTY='],
      labels: { team: 'web', 'orch.node.id': 'spoofed' },
      stopGracePeriodMs: 2500,
      resources: { limits: { nanoCpus: 500_000_000, memoryBytes: 64 * 2 ** 20 }, reservations: { memoryBytes: 32 * 2 ** 20 } },
    });
    const { runtimeId } = await runtime.prepare(task, NO_NETWORK);
    const info = await docker.getContainer(runtimeId).inspect();
    expect(info.Name).toBe(`/orch-svc.7.${task.id}`);
    expect(info.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello', 'EMPTY=']));
    expect(info.Config.Labels).toMatchObject({
      team: 'web',
      'orch.node.id': nodeId('lifecycle'),
      'orch.task.id': task.id,
      'orch.service.id': task.serviceId,
      'orch.service.name': 'svc',
      'orch.slot': '7',
    });
    expect(info.Config.Cmd).toEqual(['sleep', '1000000']);
    expect(info.Config.Tty).toBe(false);
    expect((info.Config as { StopTimeout?: number }).StopTimeout).toBe(3);
    expect(info.HostConfig).toMatchObject({
      NanoCpus: 500_000_000,
      Memory: 64 * 2 ** 20,
      MemoryReservation: 32 * 2 ** 20,
      RestartPolicy: { Name: 'no' },
      Init: false,
    });
  });

  it('names global tasks by node and replaces the entrypoint with the command', async () => {
    const task = makeTask({ slot: null, command: ['/bin/sh', '-c'], args: ['exit 0'] });
    const { runtimeId } = await runtime.prepare(task, NO_NETWORK);
    const info = await docker.getContainer(runtimeId).inspect();
    expect(info.Name).toBe(`/orch-svc.${nodeId('lifecycle').slice(0, 12)}.${task.id}`);
    expect(info.Config.Entrypoint).toEqual(['/bin/sh', '-c']);
    expect(info.Config.Labels['orch.slot']).toBeUndefined();
  });

  it('reports the exit code of a task that exits by itself', async () => {
    const task = makeTask({ args: ['sh', '-c', 'exit 3'] });
    await runtime.prepare(task, NO_NETWORK);
    const exited = runtime.wait(task.id);
    await runtime.start(task.id);
    await expect(exited).resolves.toEqual({ exitCode: 3 });
    // Waiting again on an exited task answers at once.
    await expect(runtime.wait(task.id)).resolves.toEqual({ exitCode: 3 });
  });

  it('reports 137 when the container is killed behind its back', async () => {
    const task = makeTask();
    const { runtimeId } = await runtime.prepare(task, NO_NETWORK);
    await runtime.start(task.id);
    const exited = runtime.wait(task.id);
    execFileSync('docker', ['kill', runtimeId], { stdio: 'ignore' });
    await expect(exited).resolves.toEqual({ exitCode: 137 });
  });

  it('reports an OOM kill', async () => {
    const task = makeTask({
      args: ['sh', '-c', 'x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo ${#x}'],
      resources: { limits: { memoryBytes: 16 * 2 ** 20 }, reservations: {} },
    });
    await runtime.prepare(task, NO_NETWORK);
    const exited = runtime.wait(task.id);
    await runtime.start(task.id);
    await expect(exited).resolves.toEqual({ exitCode: 137, reason: 'OOM killed' });
  });

  it('reports a container removed behind its back', async () => {
    const task = makeTask();
    const { runtimeId } = await runtime.prepare(task, NO_NETWORK);
    const exited = runtime.wait(task.id);
    await docker.getContainer(runtimeId).remove({ force: true });
    await expect(exited).resolves.toEqual({ exitCode: -1, reason: 'container removed' });
    await expect(runtime.wait(task.id)).resolves.toEqual({ exitCode: -1, reason: 'container removed' });
  });

  it('refuses a missing image with a clear error', async () => {
    const task = makeTask({ image: 'orch-test/no-such-image:1' });
    await expect(runtime.prepare(task, NO_NETWORK)).rejects.toThrow(/^image "orch-test\/no-such-image:1" not found: /);
  });

  it('publishes a host port on the given address', async () => {
    const hostPort = 20_000 + (process.pid % 20_000);
    const task = makeTask({ args: HTTPD });
    await runtime.prepare(task, { ...NO_NETWORK, hostPorts: [{ protocol: 'tcp', targetPort: 80, hostPort, hostIp: '127.0.0.1' }] });
    await runtime.start(task.id);
    const body = await eventually(() => httpGet(`http://127.0.0.1:${hostPort}/`));
    expect(body.trim()).toMatch(/^[0-9a-f]{12}$/);
  });

  it('stops a SIGTERM-aware task without waiting out the grace period', async () => {
    const task = makeTask({ args: SIGTERM_AWARE });
    await runtime.prepare(task, NO_NETWORK);
    await runtime.start(task.id);
    const exited = runtime.wait(task.id);
    const t0 = Date.now();
    await runtime.stop(task.id, 30_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await expect(exited).resolves.toEqual({ exitCode: 0 });
  });

  it('kills a task that ignores SIGTERM once the grace period is over', async () => {
    const task = makeTask({ args: ['sleep', '1000000'] });
    await runtime.prepare(task, NO_NETWORK);
    await runtime.start(task.id);
    const t0 = Date.now();
    await runtime.stop(task.id, 1_000);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    await expect(runtime.wait(task.id)).resolves.toEqual({ exitCode: 137 });
  });

  it('prepares, starts, stops and removes idempotently', async () => {
    const task = makeTask({ args: SIGTERM_AWARE });
    const first = await runtime.prepare(task, NO_NETWORK);
    await expect(runtime.prepare(task, NO_NETWORK)).resolves.toEqual(first);
    const started = await runtime.start(task.id);
    await expect(runtime.start(task.id)).resolves.toEqual(started);
    await runtime.stop(task.id, 10_000);
    await runtime.stop(task.id, 10_000);
    await runtime.remove(task.id);
    await runtime.remove(task.id);
    await runtime.stop(task.id, 10_000);
    await expect(docker.getContainer(first.runtimeId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(runtime.start(task.id)).rejects.toThrow(`container of task ${task.id} not found`);
  });

  it('adopts a container made by an earlier runtime of the same node', async () => {
    const task = makeTask();
    const { runtimeId } = await runtime.prepare(task, NO_NETWORK);
    const restarted = await openRuntime('lifecycle');
    try {
      await expect(restarted.prepare(task, NO_NETWORK)).resolves.toEqual({ runtimeId });
    } finally {
      restarted.close();
    }
  });

  it('describes the engine and the machine', async () => {
    const description = await runtime.describe();
    const info = await docker.info();
    expect(description.platform.os).toBe('linux');
    expect(['amd64', 'arm64']).toContain(description.platform.arch);
    expect(description.resources.nanoCpus).toBe(info.NCPU * 1e9);
    expect(description.resources.memoryBytes).toBe(info.MemTotal);
    expect(description.engine.version).toBe(info.ServerVersion);
  });
});
