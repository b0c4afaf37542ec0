import type { DockerRuntime } from '../../../plugins/runtime-docker';
import { cleanUp, docker, ensureTestImage, eventually, HTTPD, httpGet, makeTask, openRuntime, runId } from './fixture';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

const networks = [`orch-test-${runId}-a`, `orch-test-${runId}-b`];
let runtime: DockerRuntime;

beforeAll(async () => {
  ensureTestImage();
  await Promise.all(networks.map((Name) => docker.createNetwork({ Name, Driver: 'bridge' })));
  runtime = await openRuntime('networks');
});

afterAll(async () => {
  runtime?.close();
  await cleanUp();
  await Promise.all(networks.map((n) => docker.getNetwork(n).remove().catch(() => undefined)));
});

describe('DockerRuntime networks', () => {
  it("joins every network of the plan and answers on the first one's address", async () => {
    const task = makeTask({ args: HTTPD });
    const { runtimeId } = await runtime.prepare(task, { networks, hostPorts: [] });
    const { addr } = await runtime.start(task.id);
    const info = await docker.getContainer(runtimeId).inspect();
    expect(Object.keys(info.NetworkSettings.Networks).sort()).toEqual([...networks].sort());
    expect(addr).toBe(info.NetworkSettings.Networks[networks[0]].IPAddress);
    await expect(eventually(() => httpGet(`http://${addr}:80/`))).resolves.toBe(`${runtimeId.slice(0, 12)}\n`);
  });

  it.each([
    ['first', (missing: string) => [missing, networks[0]]],
    ['second', (missing: string) => [networks[0], missing]],
  ])('refuses a missing %s network, naming it, and leaves no container behind', async (_which, plan) => {
    const task = makeTask();
    const missing = `orch-test-${runId}-missing`;
    await expect(runtime.prepare(task, { networks: plan(missing), hostPorts: [] })).rejects.toThrow(
      new RegExp(`^cannot create container "orch-svc\\.\\d+\\.${task.id}": network ${missing} not found`),
    );
    expect((await runtime.recover()).map((r) => r.taskId)).not.toContain(task.id);
  });
});
