import * as fs from 'node:fs';
import * as path from 'node:path';

/** The node's plugin settings, kept in `orch.json` in its data dir and read at every daemon start. */
export interface PluginConfig {
  /** Plugin modules to load besides the defaults: paths (relative to the data dir) or npm package names. */
  readonly plugins: readonly string[];
  /** Default (or listed) plugins not to load, by name. */
  readonly disable: readonly string[];
  /** The runtimes this node runs tasks with, its default first (`--runtime`); unset: Docker. */
  readonly runtimes?: readonly string[];
}

/** The config file's name in the data dir. */
export const PLUGIN_CONFIG_FILE = 'orch.json';

const stringList = (v: unknown, file: string, field: string): string[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim() !== '')) {
    throw new Error(`${file}: "${field}" must be a list of non-empty strings, got ${JSON.stringify(v)}`);
  }
  return v;
};

/**
 * Reads the plugin config from the text of `file`: an object with optional `plugins` and `disable` lists.
 * Other keys are refused, so a typo does not pass unnoticed. Pure.
 * @throws Error naming the file and the field.
 */
export function parsePluginConfig(text: string, file: string): PluginConfig {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error(`${file}: expected an object with "plugins" and "disable" lists`);
  const unknown = Object.keys(o).filter((k) => !['plugins', 'disable', 'runtimes'].includes(k));
  if (unknown.length > 0) throw new Error(`${file}: unknown key "${unknown[0]}" (expected "plugins", "disable" and "runtimes")`);
  const c = o as Record<string, unknown>;
  const runtimes = c.runtimes === undefined ? undefined : stringList(c.runtimes, file, 'runtimes');
  return { plugins: stringList(c.plugins, file, 'plugins'), disable: stringList(c.disable, file, 'disable'), ...(runtimes && { runtimes }) };
}

/** The plugin config of the node with data dir `dataDir`; empty lists when it has no config file. */
export function readPluginConfig(dataDir: string): PluginConfig {
  const file = path.join(dataDir, PLUGIN_CONFIG_FILE);
  if (!fs.existsSync(file)) return { plugins: [], disable: [] };
  return parsePluginConfig(fs.readFileSync(file, 'utf8'), file);
}

/**
 * Keeps what a start was given for later starts: adds plugin modules (absolute files) to the node's config,
 * and sets its runtimes when given. Writes nothing when there is nothing new.
 */
export function rememberStartOptions(dataDir: string, files: readonly string[], runtimes?: readonly string[]): void {
  if (files.length === 0 && runtimes === undefined) return;
  const config = readPluginConfig(dataDir);
  const plugins = [...config.plugins, ...files.filter((f) => !config.plugins.includes(f))];
  const next = { ...config, plugins, ...(runtimes && { runtimes }) };
  fs.writeFileSync(path.join(dataDir, PLUGIN_CONFIG_FILE), `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
}
