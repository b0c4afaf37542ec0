import type Docker from 'dockerode';
import type { LogLine, LogOptions } from '../../core/runtime/contract';
import { messageOf } from './docker-errors';
import { dockerSince, LogFrames } from './log-frames';

/**
 * Streams a container's log (`docker logs --timestamps`, both outputs) to `onLine`, as `Runtime.logs`
 * describes: resolves once the engine ends the body (at once without `follow`; when the container stops
 * with it) or once `signal` aborts. orch's containers run without a TTY, so the body is multiplexed.
 * @throws Error `cannot read the log of container <id>: <why>` when the engine refuses or fails.
 */
export async function streamContainerLogs(docker: Docker, containerId: string, options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
  const frames = new LogFrames((line) => {
    if (!signal.aborted) onLine(line);
  });
  const query = {
    stdout: true,
    stderr: true,
    timestamps: true,
    abortSignal: signal,
    ...(options.tail !== undefined && { tail: options.tail }),
    ...(options.sinceMs !== undefined && { since: dockerSince(options.sinceMs) }),
  };
  const container = docker.getContainer(containerId);
  try {
    if (!options.follow) {
      frames.push(await container.logs({ ...query, follow: false }));
    } else {
      await drain(await container.logs({ ...query, follow: true }), frames, signal);
    }
  } catch (err) {
    if (signal.aborted) return;
    throw new Error(`cannot read the log of container ${containerId.slice(0, 12)}: ${messageOf(err)}`);
  }
  frames.end();
}

/** Feeds `body` to `frames` until it ends (resolves), fails (rejects) or `signal` aborts (resolves). */
function drain(body: NodeJS.ReadableStream, frames: LogFrames, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      (body as unknown as { destroy?: () => void }).destroy?.();
      resolve();
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    const settle = (err?: Error) => {
      signal.removeEventListener('abort', abort);
      if (err && !signal.aborted) reject(err);
      else resolve();
    };
    body.on('data', (chunk: Buffer) => frames.push(chunk));
    body.on('end', () => settle());
    body.on('error', (err: Error) => settle(err));
  });
}
