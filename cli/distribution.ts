import type { Plugin } from '../core/kernel';
import caForge from '../plugins/ca-forge';
import healthChecks from '../plugins/health-checks';
import metricsPrometheus from '../plugins/metrics-prometheus';
import netIngress from '../plugins/net-ingress';
import netOverlay from '../plugins/net-overlay';
import runtimeDocker from '../plugins/runtime-docker';
import schedulerFilters from '../plugins/scheduler-filters';
import schedulerSpread from '../plugins/scheduler-spread';
import storeRaft from '../plugins/store-raft';

/** The default distribution's plugin set: a complete orchestrator. */
export function defaultPlugins(): Plugin[] {
  return [storeRaft, caForge, runtimeDocker, schedulerFilters, schedulerSpread, netIngress, netOverlay, healthChecks, metricsPrometheus];
}
