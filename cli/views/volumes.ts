import type { Volume } from '../../core/volume/contract';
import type { Column } from '../format/output';

/** One line of `volume ls` (also its `--format json` object), as docker names the fields. */
export interface VolumeRow {
  readonly Driver: string;
  readonly Name: string;
  readonly Scope: Volume['scope'];
  readonly Mountpoint: string;
}

/** Columns of `volume ls`: docker's. */
export const VOLUME_COLUMNS: readonly Column<VolumeRow>[] = [
  { header: 'DRIVER', value: (r) => r.Driver },
  { header: 'VOLUME NAME', value: (r) => r.Name },
];

/** The row of one volume. */
export function volumeRow(v: Volume): VolumeRow {
  return { Driver: v.driver, Name: v.name, Scope: v.scope, Mountpoint: v.mountpoint ?? '' };
}
