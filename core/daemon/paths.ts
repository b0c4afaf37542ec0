import * as path from 'node:path';

/** Where a node keeps its state inside its data dir. */
export function dataPaths(dataDir: string) {
  return {
    dataDir,
    /** Node identity and cluster membership. */
    identity: path.join(dataDir, 'node.json'),
    /** Control API socket (mode 0600). */
    socket: path.join(dataDir, 'orch.sock'),
    /** On a manager, the main thread's own control socket, behind the control thread's (mode 0600). */
    upstreamSocket: path.join(dataDir, 'orch.main.sock'),
    /** The running daemon's process id. */
    pid: path.join(dataDir, 'orchd.pid'),
    /** Structured JSON log of the daemon. */
    log: path.join(dataDir, 'orchd.log'),
  };
}
export type DataPaths = ReturnType<typeof dataPaths>;
