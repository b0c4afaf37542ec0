import type Docker from 'dockerode';
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
