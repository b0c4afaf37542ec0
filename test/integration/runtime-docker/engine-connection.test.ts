import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { DockerRuntime } from '../../../plugins/runtime-docker';
import { cleanUp, docker, ensureTestImage, makeTask, NO_NETWORK, nodeId, testLog } from './fixture';
import { CuttableProxy } from '../../helpers/cuttable-proxy';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'orch-docker-proxy-'));
const proxyPath = join(dir, 'docker.sock');
const proxy = new CuttableProxy({ path: '/var/run/docker.sock' });
let runtime: DockerRuntime;

beforeAll(async () => {
  ensureTestImage();
  await proxy.listenUnix(proxyPath);
  runtime = new DockerRuntime(new Docker({ socketPath: proxyPath }), nodeId('proxied'), testLog);
  await runtime.open();
});

afterAll(async () => {
  runtime?.close();
  await proxy.close();
  rmSync(dir, { recursive: true, force: true });
  await cleanUp();
});

/** Prepares and starts a task (by default one that runs until killed). */
async function started(args?: string[]): Promise<{ taskId: string; runtimeId: string }> {
  const task = makeTask(args ? { args } : {});
  const { runtimeId } = await runtime.prepare(task, NO_NETWORK);
  await runtime.start(task.id);
  return { taskId: task.id, runtimeId };
}

describe('DockerRuntime and its connection to the engine', () => {
  it('says clearly when the engine cannot be reached', async () => {
    const unreachable = new DockerRuntime(new Docker({ socketPath: join(dir, 'nothing-here.sock') }), nodeId('unreachable'), testLog);
    await expect(unreachable.open()).rejects.toThrow(`cannot reach the Docker engine at ${join(dir, 'nothing-here.sock')}: `);
  });

  it('refuses to wait before it is opened', async () => {
    const unopened = new DockerRuntime(docker, nodeId('proxied'), testLog);
    const { taskId } = await started();
    await expect(unopened.wait(taskId)).rejects.toThrow('the Docker runtime is not open');
  });

  it('misses no exit while the engine is out of reach', async () => {
    const gone = await started();
    const exited = runtime.wait(gone.taskId);
    await new Promise((r) => setTimeout(r, 200)); // its first inspect is done: the exit must come from the stream
    proxy.cut();
    await docker.getContainer(gone.runtimeId).kill();
    await new Promise((r) => setTimeout(r, 500)); // several reconnect attempts fail meanwhile
    proxy.resume();
    await expect(exited).resolves.toEqual({ exitCode: 137 });

    // And the new stream reports later exits.
    const later = await started(['sh', '-c', 'sleep 1; exit 4']);
    await expect(runtime.wait(later.taskId)).resolves.toEqual({ exitCode: 4 });
  });

  it('rejects pending waits when it is closed', async () => {
    const closing = new DockerRuntime(docker, nodeId('proxied'), testLog);
    await closing.open();
    const { taskId } = await started();
    const exited = closing.wait(taskId);
    await new Promise((r) => setTimeout(r, 200)); // the wait is registered
    closing.close();
    await expect(exited).rejects.toThrow('the Docker runtime was closed');
  });
});
