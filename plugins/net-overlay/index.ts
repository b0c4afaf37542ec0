import Docker from 'dockerode';
import type { Plugin } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { OverlayDriver } from './overlay-driver';

export { OverlayDriver } from './overlay-driver';
export { bridgeName, dockerNetworkName, NETWORK_LABELS } from './naming';

/**
 * The `overlay` network driver on the local Docker engine (reached as dockerode finds it). Needs the
 * `ip` command (iproute2) to put virtual IPs on the network bridges.
 */
export const netOverlayPlugin: Plugin = {
  name: 'net-overlay',
  version: '0.1.0',
  kernel: '^1.0',
  provides: ['NetworkDriver'],
  apply(kernel) {
    kernel.provide(Tokens.NetworkDriver, new OverlayDriver(new Docker(), kernel.log.child({ plugin: 'net-overlay' })));
  },
};

export default netOverlayPlugin;
