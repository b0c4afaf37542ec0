import type { DockerRuntime } from '../../../plugins/runtime-docker';
import { cleanUp, ensureTestImage, makeTask, NO_NETWORK, openRuntime, SIGTERM_AWARE } from './fixture';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

let nodeA: DockerRuntime;
let nodeB: DockerRuntime;

beforeAll(async () => {
  ensureTestImage();
  [nodeA, nodeB] = await Promise.all([openRuntime('recover-a'), openRuntime('recover-b')]);
});

afterAll(async () => {
  nodeA?.close();
  nodeB?.close();
  await cleanUp();
});

describe('DockerRuntime.recover', () => {
  it("sees every container of its own node, in any state, and none of another node's", async () => {
    const running = makeTask({ args: SIGTERM_AWARE });
    const exited = makeTask({ args: ['sh', '-c', 'exit 5'] });
    const created = makeTask();
    const other = makeTask({ args: SIGTERM_AWARE });
    await Promise.all([
      nodeA.prepare(running, NO_NETWORK),
      nodeA.prepare(exited, NO_NETWORK),
      nodeA.prepare(created, NO_NETWORK),
      nodeB.prepare(other, NO_NETWORK),
    ]);
    const exit = nodeA.wait(exited.id);
    const [{ addr }] = await Promise.all([nodeA.start(running.id), nodeA.start(exited.id), nodeB.start(other.id)]);
    await exit;

    const restartedA = await openRuntime('recover-a');
    // The engine reports the exit event before its container list shows it: wait until the list agrees.
    let recoveredA = await restartedA.recover();
    for (let i = 0; i < 50 && recoveredA.find((r) => r.taskId === exited.id)?.running; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recoveredA = await restartedA.recover();
    }
    restartedA.close();
    expect(recoveredA.map((r) => r.taskId).sort()).toEqual([running.id, exited.id, created.id].sort());
    const byTask = new Map(recoveredA.map((r) => [r.taskId, r]));
    expect(byTask.get(running.id)).toMatchObject({ running: true, addr, exitCode: undefined });
    expect(byTask.get(exited.id)).toMatchObject({ running: false, exitCode: 5, addr: undefined });
    expect(byTask.get(created.id)).toMatchObject({ running: false, exitCode: undefined });

    const recoveredB = await nodeB.recover();
    expect(recoveredB.map((r) => r.taskId)).toEqual([other.id]);
  });

  it("does not touch another node's container for the same task id", async () => {
    const task = makeTask();
    await nodeA.prepare(task, NO_NETWORK);
    await nodeB.remove(task.id);
    await nodeB.stop(task.id, 0);
    await expect(nodeB.wait(task.id)).resolves.toEqual({ exitCode: -1, reason: 'container removed' });
    expect((await nodeA.recover()).map((r) => r.taskId)).toContain(task.id);
  });
});
