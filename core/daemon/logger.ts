import pino, { type Logger } from 'pino';

/**
 * The daemon's structured JSON log, appended to `file` synchronously, so nothing logged before a crash
 * is lost. Level from ORCH_LOG_LEVEL (default info).
 */
export function fileLogger(file: string): Logger {
  return pino({ level: process.env.ORCH_LOG_LEVEL ?? 'info', base: { pid: process.pid } }, pino.destination({ dest: file, append: true, mkdir: true, sync: true }));
}
