import * as fs from 'node:fs';
import { ControlClient } from '../core/api/client';
import type { ControlApi, ControlMethod, WatchMessage, WatchRequest } from '../core/api/contract';
import { OrchError } from '../core/errors';

/** How long to wait for the daemon's socket to accept a connection. */
const CONNECT_TIMEOUT_MS = 5000;

/** The control API of a daemon, as commands use it. */
export interface DaemonApi {
  call<M extends ControlMethod>(method: M, req: ControlApi[M]['req']): Promise<ControlApi[M]['res']>;
  /** Streams committed store changes; returns a function that cancels the stream. */
  watch(req: WatchRequest, onMessage: (m: WatchMessage) => void, onEnd: (err?: OrchError) => void): () => void;
  close(): void;
}

/** The error when no daemon answers on `socket`. */
export function unreachable(socket: string): OrchError {
  return new OrchError('unavailable', `cannot reach the orch daemon at ${socket}: is it running? ("orch swarm init" or "orch daemon")`);
}

/** Checks that the socket exists and that this user may use it. */
function checkSocket(socket: string): void {
  try {
    fs.accessSync(socket, fs.constants.R_OK | fs.constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EACCES') {
      throw new OrchError('unavailable', `permission denied on the orch daemon's socket ${socket}: run as the daemon's user (or root)`);
    }
    throw unreachable(socket);
  }
}

/** Connects to the daemon listening on `socket` and waits until it answers, failing with a clear message when none does. */
export async function openControlClient(socket: string): Promise<ControlClient> {
  checkSocket(socket);
  const client = new ControlClient(`unix:${socket}`);
  try {
    await client.waitForReady(CONNECT_TIMEOUT_MS);
  } catch {
    client.close();
    throw unreachable(socket);
  }
  return client;
}

/**
 * Connects to the daemon listening on `socket`. The first call waits until the socket answers, and
 * fails with a clear message when no daemon does; later errors are the daemon's own.
 */
export function connectDaemon(socket: string): DaemonApi {
  const client = new ControlClient(`unix:${socket}`);
  let ready: Promise<void> | undefined;
  const connect = () =>
    (ready ??= (async () => {
      checkSocket(socket);
      await client.waitForReady(CONNECT_TIMEOUT_MS).catch(() => {
        throw unreachable(socket);
      });
    })());
  return {
    call: async (method, req) => {
      await connect();
      return client.call(method, req);
    },
    watch: (req, onMessage, onEnd) => client.watch(req, onMessage, onEnd),
    close: () => client.close(),
  };
}
