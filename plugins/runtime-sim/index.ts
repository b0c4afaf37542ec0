import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { parseSimOptions, type SimRuntimeOptions } from './options';
import { SimRuntime } from './sim-runtime';

export { drawDelay, drawFate, parseSimOptions, SIM_DEFAULTS, type SimDelay, type SimFate, type SimRuntimeOptions } from './options';
export { SimRuntime } from './sim-runtime';
export { TimerWheel, type WheelTimer } from './timer-wheel';

/** The file in a daemon's data dir the default plugin reads its options from, if present. */
export const SIM_OPTIONS_FILE = 'runtime-sim.json';

/**
 * The `sim` runtime plugin with the given options, or (unset) with those of `runtime-sim.json` in the
 * node's data dir (defaults when there is none). Loaded into a daemon with `--plugin`, or used in one
 * process for many nodes through `core/testing/sim` (see docs/plugins.md, "Simulated nodes").
 */
export function runtimeSimPlugin(options?: SimRuntimeOptions): Plugin {
  return {
    name: 'runtime-sim',
    version: '0.1.0',
    kernel: '^1.0',
    provides: ['Runtime'],
    apply(kernel) {
      const file = path.join(kernel.config.dataDir, SIM_OPTIONS_FILE);
      const read = options ?? (fs.existsSync(file) ? parseSimOptions(JSON.parse(fs.readFileSync(file, 'utf8'))) : {});
      kernel.provide(Tokens.Runtime, new SimRuntime(read));
    },
  };
}

export default runtimeSimPlugin();
