import * as path from 'node:path';
import type { Plugin } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { ProcessRuntime } from './process-runtime';

export { ProcessRuntime } from './process-runtime';

/**
 * The `process` runtime: runs this node's tasks as supervised processes of the node (no container
 * engine needed), under `process-tasks/` in the data dir. Selected with `--runtime process` at init/join.
 */
export const runtimeProcessPlugin: Plugin = {
  name: 'runtime-process',
  version: '0.1.0',
  kernel: '^1.0',
  provides: ['Runtime'],
  apply(kernel) {
    kernel.provide(Tokens.Runtime, new ProcessRuntime(path.join(kernel.config.dataDir, 'process-tasks'), kernel.log));
  },
};

export default runtimeProcessPlugin;
