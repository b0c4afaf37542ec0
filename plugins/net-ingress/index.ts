import type { InjectionToken } from 'tsyringe';
import type { Plugin, PluginKernel } from '../../core/kernel';
import { IngressMesh, type IngressMeshOptions } from './mesh';
import { NetworkResolvers } from './network-resolvers';

export { IngressMesh } from './mesh';
export { NetworkResolvers } from './network-resolvers';
export type { IngressMeshOptions, PortState, ServiceStats } from './mesh';
export type { Backend, BalancingStrategy } from './balancer';
export type { Traffic } from './proxy';

const NAME = 'net-ingress';

/** The DI token under which the plugin registers its node's {@link IngressMesh} (for metrics and the like). */
export const IngressMeshToken: InjectionToken<IngressMesh> = Symbol('IngressMesh');

/** The DI token under which the plugin registers its node's DNS servers (for metrics and the like). */
export const NetworkResolversToken: InjectionToken<NetworkResolvers> = Symbol('NetworkResolvers');

/** Options of the plugin: the mesh's, except the logger and node id (the kernel's are used). */
export type NetIngressOptions = Omit<IngressMeshOptions, 'log' | 'nodeId'>;

/**
 * Where published ports are bound by default: on every address, unless the node advertises a loopback
 * address — then several nodes share one machine (tests, demos) and each binds its own.
 */
export function defaultBindAddress(advertiseAddr: string): string {
  return advertiseAddr.startsWith('127.') ? advertiseAddr : '0.0.0.0';
}

/**
 * Makes the routing-mesh plugin. It creates the node's {@link IngressMesh} (published ports and virtual IPs)
 * and its {@link NetworkResolvers} (a DNS server per network the node serves), registers them under
 * {@link IngressMeshToken} and {@link NetworkResolversToken}, feeds them every `ingress.endpoints` and
 * `network.routes` change, and closes them on stop (stage -90, before the control loops stop).
 */
export function createNetIngressPlugin(options: NetIngressOptions = {}): Plugin {
  return {
    name: NAME,
    version: '0.1.0',
    kernel: '^1.0',
    provides: ['IngressMesh', 'NetworkResolvers'],
    taps: ['ingress.endpoints', 'network.routes'],
    apply(kernel: PluginKernel): void {
      const { nodeId, advertiseAddr } = kernel.config;
      const mesh = new IngressMesh({ bindAddress: defaultBindAddress(advertiseAddr), ...options, nodeId, log: kernel.log.child({ plugin: NAME }) });
      kernel.provide(IngressMeshToken, mesh);
      kernel.hooks.ingress.endpoints.tap(NAME, (change) => mesh.update(change));
      const resolvers = new NetworkResolvers({ log: kernel.log.child({ plugin: NAME }), resolve: (q) => kernel.hooks.network.resolve.call(q) });
      kernel.provide(NetworkResolversToken, resolvers);
      kernel.hooks.network.routes.tap(NAME, (routes) => {
        mesh.updateNetwork(routes);
        resolvers.update(routes);
      });
      kernel.lifecycle.stop.tapPromise({ name: NAME, stage: -90 }, async () => {
        await Promise.all([mesh.close(), resolvers.close()]);
      });
    },
  };
}

/** The routing mesh with default options: see {@link defaultBindAddress}; least-connections balancing. */
export const netIngressPlugin: Plugin = createNetIngressPlugin();

export default netIngressPlugin;
