import { Gauge, Registry } from 'prom-client';
import type { InjectionToken } from 'tsyringe';
import type { Plugin, PluginKernel } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { IngressMeshToken, NetworkResolversToken } from '../net-ingress';
import { registerClusterMetrics } from './cluster-metrics';
import { registerLoopMetrics } from './loop-metrics';
import { registerMeshMetrics } from './mesh-metrics';
import { processRegistry } from './process-metrics';
import { MetricsServer, parseMetricsAddr } from './server';

export { parseMetricsAddr, MetricsServer, type MetricsAddress } from './server';

const NAME = 'metrics-prometheus';

/** The provider registered under `token`, or undefined when no plugin registered one. */
function optional<T>(kernel: PluginKernel, token: InjectionToken<T>): T | undefined {
  return kernel.container.isRegistered(token, true) ? kernel.container.resolve(token) : undefined;
}

/**
 * Prometheus metrics of the node, served on `kernel.config.metricsAddr` (`--metrics-addr`) at `GET /metrics`
 * from the very start of the lifecycle (stage -200, so an address it cannot bind aborts boot before the
 * store writes anything) until the listeners stop (-100). Without a metrics address it does nothing. On managers: control-loop passes and the scheduler (from the
 * `loops.pass` and `scheduler.decided` hooks, pending tasks as the last pass left them), Raft
 * (`Tokens.Consensus` status) and nodes (the store), read at scrape time. On every node: the routing mesh's traffic and DNS queries
 * (net-ingress, when loaded) and the process's own figures (prom-client's default metrics), all named `orch_…`.
 */
export const metricsPrometheusPlugin: Plugin = {
  name: NAME,
  version: '0.1.0',
  kernel: '^1.0',
  taps: ['loops.pass', 'scheduler.decided', 'dispatcher.sessions', 'network.routes'],
  apply(kernel: PluginKernel): void {
    const { metricsAddr, role } = kernel.config;
    if (metricsAddr === undefined) return;
    const addr = parseMetricsAddr(metricsAddr);
    const registry = new Registry();
    if (role === 'manager') {
      registerLoopMetrics(registry, kernel.hooks, NAME);
      registerClusterMetrics(registry, { consensus: () => kernel.container.resolve(Tokens.Consensus), store: () => kernel.container.resolve(Tokens.ClusterStore) });
      const sessions = new Gauge({ name: 'orch_dispatcher_sessions', help: "Nodes with an open session on this manager's dispatcher (only the leader's serves).", registers: [registry] });
      kernel.hooks.dispatcher.sessions.tap(NAME, (count) => sessions.set(count));
    }
    const networkNames = new Map<string, string>();
    kernel.hooks.network.routes.tap(NAME, ({ network, active }) => {
      if (active) networkNames.set(network.id, network.spec.name);
      else networkNames.delete(network.id);
    });
    registerMeshMetrics(registry, {
      services: () => optional(kernel, IngressMeshToken)?.stats(),
      dns: () => optional(kernel, NetworkResolversToken)?.stats(),
      networkName: (id) => networkNames.get(id) ?? id,
    });
    const processFigures = processRegistry();
    const server = new MetricsServer(() => Registry.merge([processFigures, registry]), kernel.log.child({ plugin: NAME }));
    kernel.lifecycle.start.tapPromise({ name: NAME, stage: -200 }, () => server.listen(addr));
    kernel.lifecycle.stop.tapPromise({ name: NAME, stage: -100 }, () => server.close());
  },
};

export default metricsPrometheusPlugin;
