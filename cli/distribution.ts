import type { Plugin } from '../core/kernel';
import caForge from '../plugins/ca-forge';
import healthChecks from '../plugins/health-checks';
import metricsPrometheus from '../plugins/metrics-prometheus';
import netIngress from '../plugins/net-ingress';
import netOverlay from '../plugins/net-overlay';
import runtimeDocker from '../plugins/runtime-docker';
import runtimeProcess from '../plugins/runtime-process';
import schedulerFilters from '../plugins/scheduler-filters';
import schedulerSpread from '../plugins/scheduler-spread';
import storeRaft from '../plugins/store-raft';
import volumeDockerPlugins from '../plugins/volume-docker-plugins';
import volumeLocal from '../plugins/volume-local';

/** The runtime plugins of the distribution, by the runtime name `--runtime` takes. */
const RUNTIME_PLUGINS: Readonly<Record<string, Plugin>> = { docker: runtimeDocker, process: runtimeProcess };

/**
 * The default distribution's plugin set: a complete orchestrator, with the runtimes named (the node's
 * default first; names are checked by `--runtime`).
 */
export function defaultPlugins(runtimes: readonly string[] = ['docker']): Plugin[] {
  return [storeRaft, caForge, ...runtimes.map((r) => RUNTIME_PLUGINS[r]), schedulerFilters, schedulerSpread, netIngress, netOverlay, volumeLocal, volumeDockerPlugins, healthChecks, metricsPrometheus];
}
