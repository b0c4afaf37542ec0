import * as path from 'node:path';
import { UsageError } from './errors';

/** Where the data dir may come from, in order of precedence. */
export interface DataDirSources {
  /** `--data-dir`. */
  readonly flag?: string;
  /** `ORCH_DATA_DIR` (ignored when empty). */
  readonly envVar?: string;
  readonly isRoot: boolean;
  readonly home: string;
  /** Relative paths are resolved against it. */
  readonly cwd: string;
}

/** The node's data dir: `--data-dir`, else `ORCH_DATA_DIR`, else `/var/lib/orch` as root, else `~/.orch`; absolute. */
export function resolveDataDir(s: DataDirSources): string {
  if (s.flag === '') throw new UsageError('--data-dir', 'must not be empty');
  const dir = s.flag ?? (s.envVar || (s.isRoot ? '/var/lib/orch' : path.join(s.home, '.orch')));
  return path.resolve(s.cwd, dir);
}
