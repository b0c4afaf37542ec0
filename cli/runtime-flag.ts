import type { Command } from 'commander';
import { metricsAddress } from './addresses';
import type { DaemonExtras } from './daemon-process';
import { UsageError } from './errors';
import { collect } from './options';
import { resolvePluginPaths } from './plugins';

/** The runtimes the default distribution has, by name (`--runtime`). */
export const RUNTIME_NAMES = ['docker', 'process'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/**
 * Reads `--runtime NAME[,NAME…]`: the runtimes a node runs tasks with, its default first. Pure.
 * @throws UsageError naming `--runtime`.
 */
export function parseRuntimes(text: string): RuntimeName[] {
  const names = text.split(',').map((n) => n.trim());
  for (const n of names) {
    if (!(RUNTIME_NAMES as readonly string[]).includes(n)) throw new UsageError('--runtime', `unknown runtime "${n}": expected ${RUNTIME_NAMES.join(' or ')} (or several, comma-separated)`);
  }
  if (new Set(names).size !== names.length) throw new UsageError('--runtime', `"${text}" names a runtime twice`);
  return names as RuntimeName[];
}

/** The start flags `swarm init`, `swarm join` and `daemon` share, as commander hands them over. */
export interface ExtrasFlags {
  readonly plugin?: readonly string[];
  readonly metricsAddr?: string;
  readonly runtime?: string;
}

/** Reads the shared start flags into the extras of a daemon start. @throws UsageError naming the flag. */
export function extrasOf(flags: ExtrasFlags, cwd: string): DaemonExtras {
  return {
    pluginFiles: resolvePluginPaths(flags.plugin ?? [], cwd),
    metricsAddr: metricsAddress(flags.metricsAddr),
    ...(flags.runtime !== undefined && { runtimes: parseRuntimes(flags.runtime) }),
  };
}

/** Adds the start flags `swarm init`, `swarm join` and `daemon` share. */
export function withExtrasOptions(command: Command, metricsHelp: string): Command {
  return command
    .option('--plugin <path|package>', 'load an extra plugin into the daemon, now and at later starts: a module path or an npm package such as orch-plugin-foo (repeatable)', collect)
    .option('--metrics-addr <addr>', metricsHelp)
    .option('--runtime <names>', `runtimes this node runs tasks with, its default first: ${RUNTIME_NAMES.join(', ')} (default: docker; kept for later starts)`);
}
