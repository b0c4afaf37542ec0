import type Docker from 'dockerode';
import type { EngineInfo } from './describe';
import { messageOf } from './docker-errors';

/** Where dockerode reaches the engine (its unix socket or its URL), for error messages. */
function engineAddress(docker: Docker): string {
  const modem = docker.modem as { socketPath?: unknown; protocol?: unknown; host?: unknown; port?: unknown };
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  const port = modem.port !== undefined ? `:${String(modem.port)}` : '';
  return `${String(modem.protocol ?? 'http')}://${String(modem.host)}${port}`;
}

/**
 * Checks that the engine answers.
 * @throws Error `cannot reach the Docker engine at <address>: <why>`.
 */
export async function pingEngine(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`cannot reach the Docker engine at ${engineAddress(docker)}: ${messageOf(err)}`);
  }
}

/** How long the engine may take to describe itself before the node gives up with a clear error. */
const INFO_TIMEOUT_MS = 20_000;

/**
 * The engine's `/info`, bounded: an engine can answer pings yet hang on `/info` (a wedged daemon),
 * and a node must then fail to start with a reason rather than hang.
 * @throws Error `the Docker engine at <address> did not describe itself within 20 s: …`.
 */
export async function engineInfo(docker: Docker): Promise<EngineInfo> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the Docker engine at ${engineAddress(docker)} did not describe itself within ${INFO_TIMEOUT_MS / 1000} s: it may be wedged (restart it)`)),
      INFO_TIMEOUT_MS,
    );
  });
  try {
    return (await Promise.race([docker.info(), timeout])) as EngineInfo;
  } finally {
    clearTimeout(timer);
  }
}
