import type { Node } from '../../core/model/types';
import type { Column } from '../format/output';

/** One line of `plugin ls`: a plugin on a node (also its `--format json` object). */
export interface PluginRow {
  readonly Node: string;
  readonly Name: string;
  readonly Version: string;
  readonly Taps: string;
  readonly Provides: string;
}

/** Columns of `plugin ls`. */
export const PLUGIN_COLUMNS: readonly Column<PluginRow>[] = [
  { header: 'NODE', value: (r) => r.Node },
  { header: 'NAME', value: (r) => r.Name },
  { header: 'VERSION', value: (r) => r.Version },
  { header: 'PROVIDES', value: (r) => r.Provides },
  { header: 'TAPS', value: (r) => r.Taps },
];

/** The rows of every node's plugins, nodes by hostname, plugins in the order they applied. Pure. */
export function pluginRows(nodes: readonly Node[]): PluginRow[] {
  return [...nodes]
    .sort((a, b) => a.description.hostname.localeCompare(b.description.hostname) || a.id.localeCompare(b.id))
    .flatMap((n) =>
      (n.description.plugins ?? []).map((p) => ({ Node: n.description.hostname, Name: p.name, Version: p.version, Provides: p.provides.join(', ') || '-', Taps: p.taps.join(', ') || '-' })),
    );
}
