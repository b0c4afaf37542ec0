import type { DockerRuntime } from '../../../plugins/runtime-docker';
import { cleanUp, ensureTestImage, makeTask, NO_NETWORK, openRuntime, SIGTERM_AWARE } from './fixture';

// Real containers: allow for a busy engine.
jest.setTimeout(60_000);

const COUNT = 20;
let runtime: DockerRuntime;

beforeAll(async () => {
  ensureTestImage();
  runtime = await openRuntime('concurrency');
});

afterAll(async () => {
  runtime?.close();
  await cleanUp();
});

/** Runs `fn` and logs how long it took. */
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await fn();
  console.log(`${label}: ${Date.now() - t0} ms`);
  return result;
}

describe(`DockerRuntime with ${COUNT} tasks at once`, () => {
  it('prepares, starts, stops and removes them concurrently', async () => {
    const tasks = Array.from({ length: COUNT }, () => makeTask({ args: SIGTERM_AWARE }));
    const exits = await timed(`prepare+start ${COUNT}`, async () => {
      await Promise.all(tasks.map((t) => runtime.prepare(t, NO_NETWORK)));
      const started = await Promise.all(tasks.map((t) => runtime.start(t.id)));
      expect(new Set(started.map((s) => s.addr)).size).toBe(COUNT);
      return tasks.map((t) => runtime.wait(t.id));
    });
    await timed(`stop ${COUNT}`, () => Promise.all(tasks.map((t) => runtime.stop(t.id, 10_000))));
    await expect(Promise.all(exits)).resolves.toEqual(tasks.map(() => ({ exitCode: 0 })));
    await timed(`remove ${COUNT}`, () => Promise.all(tasks.map((t) => runtime.remove(t.id))));
    expect(await runtime.recover()).toEqual([]);
  });
});
