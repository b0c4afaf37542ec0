import * as path from 'node:path';
import type { Plugin } from '../core/kernel';
import { UsageError } from './errors';

/** True when a plugin reference names a file rather than an npm package. */
const isPath = (ref: string) => ref.startsWith('.') || path.isAbsolute(ref);

/**
 * Resolves a plugin reference to the module file Node loads: a path (against `baseDir`), or an npm package
 * installed where `baseDir` (or a parent) can find it — by its name, or `orch-plugin-NAME` for a bare `NAME`.
 * @throws UsageError naming `flag` when nothing loadable is found.
 */
export function resolvePluginRef(ref: string, baseDir: string, flag: string): string {
  const candidates = isPath(ref) ? [path.resolve(baseDir, ref)] : ref.startsWith('orch-plugin-') || ref.startsWith('@') ? [ref] : [ref, `orch-plugin-${ref}`];
  for (const c of candidates) {
    try {
      return require.resolve(c, { paths: [baseDir] });
    } catch {
      // try the next form
    }
  }
  const what = isPath(ref) ? `a module at "${ref}" (resolved against ${baseDir})` : `an npm package "${candidates.join('" or "')}" installed for ${baseDir}`;
  throw new UsageError(flag, `cannot find ${what}`);
}

/** Resolves `--plugin` values (paths or packages) against `cwd`, so a typo fails before any daemon starts. */
export function resolvePluginPaths(refs: readonly string[], cwd: string): string[] {
  return refs.map((r) => resolvePluginRef(r, cwd, '--plugin'));
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

/**
 * The plugin set a daemon boots with: the defaults, each replaced by an extra plugin of the same name,
 * then the other extras; minus the disabled ones. Pure.
 * @throws Error when `disable` names no plugin of the set.
 */
export function assemblePlugins(defaults: readonly Plugin[], extras: readonly Plugin[], disable: readonly string[]): Plugin[] {
  const byName = new Map(extras.map((p) => [p.name, p]));
  const set = [...defaults.map((p) => byName.get(p.name) ?? p), ...extras.filter((p) => !defaults.some((d) => d.name === p.name))];
  for (const name of disable) {
    if (!set.some((p) => p.name === name)) throw new Error(`"disable" names no loaded plugin: "${name}" (plugins: ${set.map((p) => p.name).join(', ')})`);
  }
  return set.filter((p) => !disable.includes(p.name));
}
