import type { Plugin } from '../../core/kernel';
import { execCheck, httpCheck, tcpCheck } from './checkers';

export { execCheck, httpCheck, tcpCheck } from './checkers';

const NAME = 'health-checks';

/**
 * The built-in health checkers on the `health.check` hook: `exec` (a command in the task, through its
 * runtime), `http` (a GET at the task's address) and `tcp` (a connection to the task's address).
 */
export const healthChecksPlugin: Plugin = {
  name: NAME,
  version: '0.1.0',
  kernel: '^1.0',
  taps: ['health.check'],
  apply(kernel) {
    const { check } = kernel.hooks.health;
    check.for('exec').tapPromise(NAME, (_task, probe, ctx) => execCheck(probe, ctx));
    check.for('http').tapPromise(NAME, (_task, probe, ctx) => httpCheck(probe, ctx));
    check.for('tcp').tapPromise(NAME, (_task, probe, ctx) => tcpCheck(probe, ctx));
  },
};

export default healthChecksPlugin;
