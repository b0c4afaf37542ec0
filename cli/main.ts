#!/usr/bin/env node
import 'reflect-metadata';
import { homedir } from 'node:os';
import { connectDaemon } from './connection';
import { run } from './program';

/** Grace for open handles (log streams, sockets) to close before the process is made to exit. */
const EXIT_GRACE_MS = 2000;

// A reader that stops early (`orch service ls | head -1`) closes the pipe: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

/**
 * The `orch` executable: runs the command line against the real process, then exits with its code,
 * letting pending output and log writes finish first.
 */
void run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  home: homedir(),
  isRoot: process.getuid?.() === 0,
  now: () => new Date(),
  connect: connectDaemon,
}).then((code) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
});
