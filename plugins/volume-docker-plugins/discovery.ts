import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Where a Docker plugin answers: a unix socket path, or an HTTP base URL (`tcp://` spec files). */
export type PluginAddress = { readonly socketPath: string } | { readonly baseUrl: string };

/** The directories Docker looks for plugins in, in its order. */
export const DOCKER_PLUGIN_DIRS = ['/run/docker/plugins', '/etc/docker/plugins', '/usr/lib/docker/plugins'] as const;

/**
 * Reads a plugin spec file's text: `.spec` holds a URL (`unix:///path.sock` or `tcp://host:port`), `.json`
 * an object whose `Addr` is one. Pure.
 * @throws Error naming the file when it says neither.
 */
export function parseSpecFile(file: string, text: string): PluginAddress {
  let addr = text.trim();
  if (file.endsWith('.json')) {
    try {
      addr = String((JSON.parse(text) as { Addr?: unknown }).Addr ?? '');
    } catch (err) {
      throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (addr.startsWith('unix://')) return { socketPath: addr.slice('unix://'.length) };
  if (addr.startsWith('tcp://') || addr.startsWith('http://')) return { baseUrl: `http://${addr.replace(/^\w+:\/\//, '')}` };
  throw new Error(`${file}: expected a unix:// or tcp:// address, got "${addr}"`);
}

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

/**
 * Finds the Docker plugin `name` as Docker does: a socket `<dir>/<name>.sock` or `<dir>/<name>/<name>.sock`,
 * else a spec file `<dir>/<name>.spec` or `<dir>/<name>.json`, in each of `dirs` in turn.
 * @returns its address, or undefined when no plugin of that name is installed.
 */
export async function findPlugin(name: string, dirs: readonly string[] = DOCKER_PLUGIN_DIRS): Promise<PluginAddress | undefined> {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) return undefined;
  for (const dir of dirs) {
    for (const sock of [path.join(dir, `${name}.sock`), path.join(dir, name, `${name}.sock`)]) if (await exists(sock)) return { socketPath: sock };
    for (const spec of [path.join(dir, `${name}.spec`), path.join(dir, `${name}.json`)]) {
      if (await exists(spec)) return parseSpecFile(spec, await fs.readFile(spec, 'utf8'));
    }
  }
  return undefined;
}
