import type { Plugin, PluginKernel } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { tapConstraintKeys } from './constraint-keys';
import { tapFilters } from './filters';
import { PLUGIN_NAME } from './name';
import { tapSpreadScore } from './score';
import { SpreadScheduler } from './spread-scheduler';
import { tapValidate } from './validate';

export { BUILTIN_CONSTRAINT_KEYS } from './constraint-keys';
export { lookupConstraintValue, type ConstraintValue } from '../../core/scheduler/constraint-lookup';
export { FILTER_STAGES } from './filters';
export { SpreadScheduler } from './spread-scheduler';

/**
 * The default scheduler: swarm mode's filters (ready, resources, constraints, host ports, max replicas
 * per node), the built-in constraint keys, the spread score, validation of service specs' constraints
 * and placement preferences, and `SpreadScheduler` (with placement preferences) as the
 * `Tokens.Scheduler` provider.
 */
export const schedulerSpreadPlugin: Plugin = {
  name: PLUGIN_NAME,
  version: '0.1.0',
  kernel: '^1.0',
  provides: ['Scheduler'],
  taps: ['constraints.key', 'scheduler.filter', 'scheduler.score', 'service.validate'],
  apply(kernel: PluginKernel): void {
    tapConstraintKeys(kernel.hooks);
    tapFilters(kernel.hooks);
    tapSpreadScore(kernel.hooks);
    tapValidate(kernel.hooks);
    kernel.provide(Tokens.Scheduler, new SpreadScheduler(kernel.hooks));
  },
};

export default schedulerSpreadPlugin;
