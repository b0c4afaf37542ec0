import { Kernel } from '../../../core/kernel';
import { Tokens } from '../../../core/tokens';
import runtimeDockerDefault, { runtimeDockerPlugin } from '../../../plugins/runtime-docker';
import { cleanUp, ensureTestImage, HTTPD, makeTask, NO_NETWORK, nodeId, testLog } from './fixture';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

beforeAll(() => ensureTestImage());
afterAll(() => cleanUp());

describe('the runtime-docker plugin', () => {
  it('registers a docker runtime for the kernel node that opens and closes with the daemon', async () => {
    expect(runtimeDockerDefault).toBe(runtimeDockerPlugin);
    const kernel = new Kernel(
      { dataDir: '/nonexistent', nodeId: nodeId('plugin'), role: 'worker', advertiseAddr: '127.0.0.1', listenAddr: '127.0.0.1:0' },
      testLog,
    );
    await kernel.use([runtimeDockerPlugin]);
    const [runtime] = kernel.container.resolveAll(Tokens.Runtime);
    expect(runtime.name).toBe('docker');

    await kernel.lifecycle.start.promise();
    const task = makeTask({ args: HTTPD });
    await runtime.prepare(task, NO_NETWORK);
    await runtime.start(task.id);
    expect((await runtime.recover()).map((r) => r.taskId)).toEqual([task.id]);
    const exited = runtime.wait(task.id);
    await runtime.remove(task.id);
    await expect(exited).resolves.toEqual({ exitCode: 137 });

    await expect(runtime.wait('no-such-task')).resolves.toEqual({ exitCode: -1, reason: 'container removed' });
    await kernel.lifecycle.stop.promise();
  });
});
