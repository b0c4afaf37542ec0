import pino from 'pino';
import type { InjectionToken } from 'tsyringe';
import type { Hooks } from '../hooks';
import { Kernel, type KernelConfig, type LoadedPlugin, type Plugin } from '../kernel';
import type { Node, Task } from '../model/types';
import type { SchedulingDecision } from '../scheduler/contract';
import { buildNodeInfos } from '../scheduler/node-info';
import { Tokens } from '../tokens';

/** What `testKernel` builds the kernel with, besides the plugin under test. */
export interface TestKernelOptions {
  /** Plugins applied with it (its dependencies, e.g. `scheduler-filters`), in any order. */
  readonly with?: readonly Plugin[];
  /** Providers registered before any plugin applies: fakes of what the plugin resolves. */
  readonly provide?: readonly (readonly [InjectionToken<unknown>, unknown])[];
  /** Config fields to change from the defaults (a manager `n1` on 127.0.0.1). */
  readonly config?: Partial<KernelConfig>;
}

/** A kernel with the plugin under test applied, and shortcuts into it. */
export interface TestKernel {
  readonly kernel: Kernel;
  readonly hooks: Hooks;
  /** What each plugin tapped and provided (as `orch plugin ls` shows it). */
  readonly loaded: readonly LoadedPlugin[];
  /** Resolves a provider, e.g. `resolve(Tokens.Scheduler)`. */
  resolve<T>(token: InjectionToken<T>): T;
  /**
   * Schedules `tasks` as one group with the `Tokens.Scheduler` provider, on `nodes` already holding
   * `existing` tasks, as the kernel's scheduler loop would.
   */
  schedule(tasks: readonly Task[], nodes: readonly Node[], existing?: readonly Task[]): SchedulingDecision[];
}

/**
 * Builds a kernel around a plugin under test, with the manifest checks a daemon makes at boot, no I/O and
 * a silent logger: `const { schedule } = await testKernel(myScheduler, { with: [schedulerFilters] })`.
 * Lifecycle hooks are not run (call `kernel.lifecycle.start.promise()` to start what the plugin tapped).
 * @throws what the kernel throws at boot for a bad manifest or plugin set.
 */
export async function testKernel(plugin: Plugin, options: TestKernelOptions = {}): Promise<TestKernel> {
  const config: KernelConfig = { dataDir: '', nodeId: 'n1', role: 'manager', advertiseAddr: '127.0.0.1', listenAddr: '127.0.0.1:0', ...options.config };
  const kernel = new Kernel(config, pino({ enabled: false }));
  for (const [token, value] of options.provide ?? []) kernel.container.register(token, { useValue: value });
  await kernel.use([...(options.with ?? []), plugin]);
  const resolve = <T>(token: InjectionToken<T>): T => kernel.container.resolve(token);
  return {
    kernel,
    hooks: kernel.hooks,
    loaded: kernel.loaded,
    resolve,
    schedule: (tasks, nodes, existing = []) => resolve(Tokens.Scheduler).scheduleGroup(tasks, buildNodeInfos(nodes, existing)),
  };
}
