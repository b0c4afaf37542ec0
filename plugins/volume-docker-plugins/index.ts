import type { Plugin } from '../../core/kernel';
import type { VolumeDriver } from '../../core/volume/contract';
import { DOCKER_PLUGIN_DIRS, findPlugin, type PluginAddress } from './discovery';
import { DockerVolumeDriver } from './docker-volume-driver';
import { callPlugin } from './plugin-client';

export { DockerVolumeDriver } from './docker-volume-driver';
export { findPlugin, parseSpecFile } from './discovery';

/** Options of the adapter. */
export interface DockerVolumePluginsOptions {
  /** Where to look for plugins; Docker's directories by default. */
  readonly dirs?: readonly string[];
  /** How long a plugin may take to answer its activation (Docker allows 30 s). */
  readonly activateTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Activates the plugin (`Plugin.Activate`, retried while it is not up yet) and checks it implements
 * VolumeDriver; then asks its scope (`VolumeDriver.Capabilities`, `local` when it does not say).
 * @throws Error when it does not answer in time, or is no volume driver.
 */
async function activate(name: string, addr: PluginAddress, timeoutMs: number): Promise<DockerVolumeDriver> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      const { Implements } = await callPlugin<{ Implements?: string[] }>(addr, 'Plugin.Activate', {}, timeoutMs);
      if (!Implements?.includes('VolumeDriver')) throw new Error(`Docker plugin ${name} is no volume driver (it implements ${Implements?.join(', ') || 'nothing'})`);
      const caps = await callPlugin<{ Capabilities?: { Scope?: string } }>(addr, 'VolumeDriver.Capabilities', {}).catch(() => ({}) as { Capabilities?: { Scope?: string } });
      return new DockerVolumeDriver(name, addr, caps.Capabilities?.Scope === 'global' ? 'global' : 'local');
    } catch (err) {
      if (Date.now() + wait > deadline || (err as Error).message.includes('is no volume driver')) throw err;
      await sleep(wait);
    }
  }
}

/**
 * The Docker volume plugin adapter: a volume driver name no orch plugin provides is looked up as a Docker
 * plugin (socket or spec file in Docker's plugin directories) on the `volume.driver` hook, activated, and
 * spoken to over Docker's VolumeDriver protocol. Drivers found are kept for the daemon's life.
 */
export function createDockerVolumePlugins(options: DockerVolumePluginsOptions = {}): Plugin {
  const found = new Map<string, Promise<VolumeDriver | undefined>>();
  return {
    name: 'volume-docker-plugins',
    version: '0.1.0',
    kernel: '^1.0',
    taps: ['volume.driver'],
    apply(kernel) {
      kernel.hooks.volume.driver.tapPromise('volume-docker-plugins', (name) => {
        let driver = found.get(name);
        if (!driver) {
          driver = findPlugin(name, options.dirs ?? DOCKER_PLUGIN_DIRS).then((addr) => addr && activate(name, addr, options.activateTimeoutMs ?? 30_000));
          // A failure is not kept: the plugin may be up at the next try.
          driver.catch(() => found.delete(name));
          found.set(name, driver);
        }
        return driver;
      });
    },
  };
}

export default createDockerVolumePlugins();
