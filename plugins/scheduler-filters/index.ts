import type { Plugin, PluginKernel } from '../../core/kernel';
import { tapConstraintKeys } from './constraint-keys';
import { tapFilters } from './filters';
import { PLUGIN_NAME } from './name';
import { tapValidate } from './validate';

export { BUILTIN_CONSTRAINT_KEYS, tapConstraintKeys } from './constraint-keys';
export { FILTER_STAGES } from './filters';

/**
 * Swarm mode's placement rules, for any scheduler: the filters (ready, resources, constraints, host ports,
 * max replicas per node) on `scheduler.filter`, the built-in constraint keys (`node.*`, `engine.labels.*`) on
 * `constraints.key`, and the check of service specs' constraints and placement preferences on
 * `service.validate`. A scheduler that replaces `scheduler-spread` keeps them by depending on this plugin.
 */
export const schedulerFiltersPlugin: Plugin = {
  name: PLUGIN_NAME,
  version: '0.1.0',
  kernel: '^1.0',
  taps: ['constraints.key', 'scheduler.filter', 'service.validate'],
  apply(kernel: PluginKernel): void {
    tapConstraintKeys(kernel.hooks);
    tapFilters(kernel.hooks);
    tapValidate(kernel.hooks);
  },
};

export default schedulerFiltersPlugin;
