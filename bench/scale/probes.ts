import * as fs from 'node:fs';
import * as path from 'node:path';

/** The resident set of process `pid` in bytes (VmRSS of /proc/<pid>/status); 0 when it cannot be read. */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Bytes of the files under `dir`, recursively; 0 when it does not exist. */
export function dirBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** A store-raft manager's WAL and snapshot bytes on disk (`raft/wal`, `raft/snap` in its data dir). */
export function raftBytes(dataDir: string): { wal: number; snapshots: number } {
  return { wal: dirBytes(path.join(dataDir, 'raft', 'wal')), snapshots: dirBytes(path.join(dataDir, 'raft', 'snap')) };
}
