import type { Kernel } from '../kernel';
import { Tokens } from '../tokens';
import { VolumeMounter } from '../agent/volume-mounter';

/** The node's volume drivers (the providers of `Tokens.VolumeDriver`, then the `volume.driver` hook). */
export function nodeVolumes(kernel: Kernel): VolumeMounter {
  const drivers = kernel.container.isRegistered(Tokens.VolumeDriver, true) ? kernel.container.resolveAll(Tokens.VolumeDriver) : [];
  return new VolumeMounter(drivers, kernel.hooks);
}
