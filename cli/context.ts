import type { Command } from 'commander';
import { dataPaths } from '../core/daemon/paths';
import type { DaemonApi } from './connection';
import { resolveDataDir } from './data-dir';
import { ReportedFailure } from './errors';

/** A stream commands print to. */
export interface Output {
  write(text: string): void;
  readonly isTTY?: boolean;
}

/** What commands need from the world outside; tests pass their own. */
export interface CliEnv {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Environment variables (`ORCH_DATA_DIR`; `--env KEY` takes values from here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly home: string;
  readonly isRoot: boolean;
  now(): Date;
  /** Opens the control API of the daemon listening on a unix socket. */
  connect(socket: string): DaemonApi;
}

/** The data dir a command works on: its own or the global `--data-dir`, else the environment's default. */
export function dataDirOf(cmd: Command, env: CliEnv): string {
  const flag = cmd.optsWithGlobals<{ dataDir?: string }>().dataDir;
  return resolveDataDir({ flag, envVar: env.env.ORCH_DATA_DIR, isRoot: env.isRoot, home: env.home, cwd: env.cwd });
}

/** Runs `fn` with a connection to the daemon of the command's data dir, closing it afterwards. */
export async function withDaemon<R>(cmd: Command, env: CliEnv, fn: (daemon: DaemonApi) => Promise<R>): Promise<R> {
  const daemon = env.connect(dataPaths(dataDirOf(cmd, env)).socket);
  try {
    return await fn(daemon);
  } finally {
    daemon.close();
  }
}

/** Prints a line on stdout. */
export function println(env: CliEnv, text: string): void {
  env.stdout.write(`${text}\n`);
}

/**
 * Runs `fn` on every item in order, printing each failure as `Error: …` on stderr and carrying on,
 * as docker does for `rm a b` or `inspect a b`.
 * @throws ReportedFailure after the last item when any failed.
 */
export async function forEachReported<T>(env: CliEnv, items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let failed = 0;
  for (const item of items) {
    try {
      await fn(item);
    } catch (err) {
      failed++;
      env.stderr.write(`Error: ${(err as Error).message}\n`);
    }
  }
  if (failed > 0) throw new ReportedFailure(failed);
}
