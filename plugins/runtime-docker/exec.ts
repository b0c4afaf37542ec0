import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { messageOf } from './docker-errors';

/** Longest output kept of a command (its end), as Docker keeps for health checks. */
const MAX_OUTPUT = 4096;

/**
 * Runs `cmd` in a running container (as `docker exec`) and resolves with its exit code and combined
 * output (the last 4 KiB). A command still running after `timeoutMs` is abandoned: the result is exit
 * code -1 and a timeout message (the engine offers no way to kill an exec'd process).
 */
export async function runExec(docker: Docker, containerId: string, cmd: readonly string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
  let exec: Docker.Exec;
  let stream: NodeJS.ReadWriteStream;
  try {
    exec = await docker.getContainer(containerId).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
    stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadWriteStream;
  } catch (err) {
    throw new Error(`cannot run ${JSON.stringify(cmd)} in container ${containerId.slice(0, 12)}: ${messageOf(err)}`);
  }
  let output = '';
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-MAX_OUTPUT)));
  docker.modem.demuxStream(stream, sink, sink);
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<boolean>((resolve) => {
    stream.on('end', () => resolve(true));
    stream.on('error', () => resolve(true));
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const finished = await ended;
  clearTimeout(timer);
  if (!finished) {
    (stream as unknown as { destroy?: () => void }).destroy?.();
    return { exitCode: -1, output: `health check exceeded its timeout (${timeoutMs} ms)` };
  }
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, output };
}
