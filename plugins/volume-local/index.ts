import * as path from 'node:path';
import type { Plugin } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { LocalVolumeDriver } from './local-driver';

export { LocalVolumeDriver } from './local-driver';

/** The `local` volume driver, keeping volumes under `volumes/` in the node's data dir. */
export const volumeLocalPlugin: Plugin = {
  name: 'volume-local',
  version: '0.1.0',
  kernel: '^1.0',
  provides: ['VolumeDriver'],
  apply(kernel) {
    kernel.provide(Tokens.VolumeDriver, new LocalVolumeDriver(path.join(kernel.config.dataDir, 'volumes')));
  },
};

export default volumeLocalPlugin;
