import { SimRuntime, TimerWheel } from '../../../plugins/runtime-sim';
import { makeTask } from '../../../core/testing/builders';
import { testKernel } from '../../../core/testing/plugin-harness';
import { runtimeSimPlugin } from '../../../plugins/runtime-sim';
import { Tokens } from '../../../core/tokens';

describe('SimRuntime', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** Prepares and starts task `id`; resolves with the start's promise, wrapped so it is not awaited here. */
  async function started(rt: SimRuntime, id: string): Promise<{ start: Promise<unknown> }> {
    await rt.prepare(makeTask(id));
    return { start: rt.start(id) };
  }

  it('describes the node from its options', async () => {
    const rt = new SimRuntime({ hostname: 'sim-7', resources: { nanoCpus: 2e9, memoryBytes: 1024 }, labels: { zone: 'b' } });
    expect(await rt.describe()).toEqual({ hostname: 'sim-7', platform: { os: 'linux', arch: 'amd64' }, resources: { nanoCpus: 2e9, memoryBytes: 1024 }, engine: { version: 'sim', labels: { zone: 'b' } } });
    expect(rt.name).toBe('sim');
  });

  it('runs a task after its start delay until it is stopped', async () => {
    const rt = new SimRuntime({ startDelayMs: 100 }, new TimerWheel(10));
    let up = false;
    void (await started(rt, 't1')).start.then(() => (up = true));
    await jest.advanceTimersByTimeAsync(50);
    expect(up).toBe(false);
    await jest.advanceTimersByTimeAsync(60);
    expect(up).toBe(true);
    expect(rt.running).toBe(1);
    const exit = rt.wait('t1');
    await rt.stop('t1');
    expect(await exit).toEqual({ exitCode: 0 });
    await rt.remove('t1');
    expect(rt.running).toBe(0);
    expect(await rt.recover()).toEqual([]);
  });

  it('fails at start or exits later with the code, as configured', async () => {
    const failing = new SimRuntime({ failAtStart: 1 }, new TimerWheel(10));
    const { start } = await started(failing, 'f');
    await jest.advanceTimersByTimeAsync(10);
    await expect(start).rejects.toThrow('simulated start failure');

    const exiting = new SimRuntime({ exit: { fraction: 1, afterMs: 500, code: 7 } }, new TimerWheel(10));
    await jest.advanceTimersByTimeAsync(0);
    const { start: run } = await started(exiting, 'e');
    await jest.advanceTimersByTimeAsync(10);
    await run;
    const exit = exiting.wait('e');
    await jest.advanceTimersByTimeAsync(500);
    expect(await exit).toEqual({ exitCode: 7, reason: 'simulated exit' });
  });

  it('freezes when halted: a pending start never completes', async () => {
    const rt = new SimRuntime({ startDelayMs: 100 }, new TimerWheel(10));
    let settled = false;
    void (await started(rt, 't')).start.finally(() => (settled = true));
    rt.halt();
    await jest.advanceTimersByTimeAsync(1000);
    expect(settled).toBe(false);
    expect(rt.running).toBe(0);
  });

  it('is a plugin that provides the sim runtime', async () => {
    const { resolve } = await testKernel(runtimeSimPlugin({ hostname: 'x' }));
    const runtimes = resolve(Tokens.Runtime);
    expect(runtimes.name).toBe('sim');
  });
});
