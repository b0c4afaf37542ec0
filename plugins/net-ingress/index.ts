import type { InjectionToken } from 'tsyringe';
import type { Kernel, Plugin } from '../../core/kernel';
import { IngressMesh, type IngressMeshOptions } from './mesh';

export { IngressMesh } from './mesh';
export type { IngressMeshOptions, PortState, ServiceStats } from './mesh';
export type { Backend, BalancingStrategy } from './balancer';
export type { Traffic } from './proxy';

const NAME = 'net-ingress';

/** The DI token under which the plugin registers its node's {@link IngressMesh} (for metrics and the like). */
export const IngressMeshToken: InjectionToken<IngressMesh> = Symbol('IngressMesh');

/** Options of the plugin: the mesh's, except the logger (the kernel's is used). */
export type NetIngressOptions = Omit<IngressMeshOptions, 'log'>;

/**
 * Makes the routing-mesh plugin. It creates the node's {@link IngressMesh}, registers it under
 * {@link IngressMeshToken}, feeds it every `ingress.endpoints` change and closes it on stop (stage -90,
 * before the control loops stop).
 */
export function createNetIngressPlugin(options: NetIngressOptions = {}): Plugin {
  return {
    name: NAME,
    version: '0.1.0',
    kernel: '^1.0',
    apply(kernel: Kernel): void {
      const mesh = new IngressMesh({ ...options, log: kernel.log.child({ plugin: NAME }) });
      kernel.container.registerInstance(IngressMeshToken, mesh);
      kernel.hooks.ingress.endpoints.tap(NAME, (change) => mesh.update(change));
      kernel.lifecycle.stop.tapPromise({ name: NAME, stage: -90 }, () => mesh.close());
    },
  };
}

/** The routing mesh with default options: binds published ports on `0.0.0.0`, least-connections balancing. */
export const netIngressPlugin: Plugin = createNetIngressPlugin();

export default netIngressPlugin;
