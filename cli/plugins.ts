import * as path from 'node:path';
import type { Plugin } from '../core/kernel';
import { UsageError } from './errors';

/**
 * Resolves `--plugin` paths against `cwd` and checks that each names a module Node can load,
 * so a typo fails before any daemon starts.
 * @returns the module files, absolute.
 */
export function resolvePluginPaths(paths: readonly string[], cwd: string): string[] {
  return paths.map((p) => {
    try {
      return require.resolve(path.resolve(cwd, p));
    } catch {
      throw new UsageError('--plugin', `cannot find a module at "${p}" (resolved against ${cwd})`);
    }
  });
}

function isPlugin(v: unknown): v is Plugin {
  return typeof v === 'object' && v !== null && typeof (v as Plugin).name === 'string' && typeof (v as Plugin).apply === 'function';
}

/**
 * Loads a plugin module (CommonJS, or compiled from TypeScript): its default export, its `plugin`
 * export, or the module itself when it is a plugin.
 * @throws Error naming the file when it exports no plugin.
 */
export function loadPlugin(file: string): Plugin {
  const mod: unknown = require(file);
  const m = mod as { default?: unknown; plugin?: unknown } | undefined;
  const plugin = [m?.default, m?.plugin, mod].find(isPlugin);
  if (!plugin) throw new UsageError('--plugin', `${file} exports no plugin: expected a default or "plugin" export with a name and an apply function`);
  return plugin;
}

