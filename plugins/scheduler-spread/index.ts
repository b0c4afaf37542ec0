import type { Plugin, PluginKernel } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { PLUGIN_NAME } from './name';
import { tapSpreadScore } from './score';
import { SpreadScheduler } from './spread-scheduler';

export { lookupConstraintValue, type ConstraintValue } from '../../core/scheduler/constraint-lookup';
export { SpreadScheduler } from './spread-scheduler';

/**
 * The default scheduler: the spread score on `scheduler.score` and `SpreadScheduler` (filter → score →
 * pick, with placement preferences) as the `Tokens.Scheduler` provider. Its filters and constraint keys
 * come from `scheduler-filters`.
 */
export const schedulerSpreadPlugin: Plugin = {
  name: PLUGIN_NAME,
  version: '0.1.0',
  kernel: '^1.0',
  dependsOn: ['scheduler-filters'],
  provides: ['Scheduler'],
  taps: ['scheduler.score'],
  apply(kernel: PluginKernel): void {
    tapSpreadScore(kernel.hooks);
    kernel.provide(Tokens.Scheduler, new SpreadScheduler(kernel.hooks));
  },
};

export default schedulerSpreadPlugin;
