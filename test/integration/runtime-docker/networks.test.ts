import type { DockerRuntime } from '../../../plugins/runtime-docker';
import { cleanUp, docker, ensureTestImage, eventually, HTTPD, httpGet, makeTask, NO_NETWORK, openRuntime, runId } from './fixture';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

const networks = [`orch-test-${runId}-a`, `orch-test-${runId}-b`];
/** A subnet for the first network, so that a fixed address can be asked for. */
const SUBNET_A = `10.254.${process.pid % 250}.0/24`;
const plan = (names: readonly string[]) => ({ ...NO_NETWORK, networks: names.map((name) => ({ name })) });
let runtime: DockerRuntime;

beforeAll(async () => {
  ensureTestImage();
  await docker.createNetwork({ Name: networks[0], Driver: 'bridge', IPAM: { Config: [{ Subnet: SUBNET_A }] } });
  await docker.createNetwork({ Name: networks[1], Driver: 'bridge' });
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
    const { runtimeId } = await runtime.prepare(task, plan(networks));
    const { addr } = await runtime.start(task.id);
    const info = await docker.getContainer(runtimeId).inspect();
    expect(Object.keys(info.NetworkSettings.Networks).sort()).toEqual([...networks].sort());
    expect(addr).toBe(info.NetworkSettings.Networks[networks[0]].IPAddress);
    await expect(eventually(() => httpGet(`http://${addr}:80/`))).resolves.toBe(`${runtimeId.slice(0, 12)}\n`);
  });

  it('takes the allocated address, the DNS servers, and exposes target ports on an ephemeral port of the expose address', async () => {
    const fixed = SUBNET_A.replace(/0\/24$/, '77');
    const task = makeTask({ args: HTTPD, ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 30080, publishMode: 'ingress' }] });
    const { runtimeId } = await runtime.prepare(task, {
      ...plan([networks[0]]),
      networks: [{ name: networks[0], ipv4Address: fixed }],
      exposedPorts: [{ protocol: 'tcp', targetPort: 80 }],
      exposeAddress: '127.0.0.1',
      dns: [SUBNET_A.replace(/0\/24$/, '1')],
    });
    const started = await runtime.start(task.id);
    expect(started.addr).toBe(fixed);
    expect(started.ports).toHaveLength(1);
    const [bound] = started.ports!;
    expect(bound).toMatchObject({ protocol: 'tcp', targetPort: 80, hostIp: '127.0.0.1' });
    expect(bound.hostPort).toBeGreaterThan(1024);
    const info = await docker.getContainer(runtimeId).inspect();
    expect(info.HostConfig.Dns).toEqual([SUBNET_A.replace(/0\/24$/, '1')]);
    await expect(eventually(() => httpGet(`http://127.0.0.1:${bound.hostPort}/`))).resolves.toBe(`${runtimeId.slice(0, 12)}\n`);
    // A restarted runtime finds the same bindings.
    const found = (await runtime.recover()).find((r) => r.taskId === task.id);
    expect(found?.ports).toEqual(started.ports);
  });

  it.each([
    ['first', (missing: string) => [missing, networks[0]]],
    ['second', (missing: string) => [networks[0], missing]],
  ])('refuses a missing %s network, naming it, and leaves no container behind', async (_which, names) => {
    const task = makeTask();
    const missing = `orch-test-${runId}-missing`;
    await expect(runtime.prepare(task, plan(names(missing)))).rejects.toThrow(
      new RegExp(`^cannot create container "orch-svc\\.\\d+\\.${task.id}": network ${missing} not found`),
    );
    expect((await runtime.recover()).map((r) => r.taskId)).not.toContain(task.id);
  });
});
