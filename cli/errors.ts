import { CommanderError } from 'commander';
import { ValidationError, type OrchError } from '../core/errors';

/** Exit codes of the CLI. */
const ExitCode = {
  ok: 0,
  /** The daemon or the runtime refused or failed. */
  failure: 1,
  /** A bad flag, argument or flag value: nothing was sent to the daemon. */
  usage: 2,
} as const;

/**
 * A bad flag or argument value, found before anything is sent to the daemon (exit code 2).
 * Its message reads `invalid <flag>: <what was expected>`.
 */
export class UsageError extends ValidationError {
  constructor(flag: string, expected: string) {
    super(flag, expected);
    this.name = 'UsageError';
  }
}

/** Failures that were already printed one by one (e.g. by `service rm a b`): exit 1, say nothing more. */
export class ReportedFailure extends Error {
  constructor(readonly failed: number) {
    super(`${failed} operation(s) failed`);
    this.name = 'ReportedFailure';
  }
}

/** What an OrchError says after its `invalid <field>: ` prefix (the whole message when it has none). */
export function explanation(err: OrchError): string {
  const prefix = `invalid ${err.field}: `;
  return err.field !== undefined && err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** Runs `fn`, turning a core ValidationError it throws into a UsageError about `flag`; other errors pass through. */
export function withFlag<T>(flag: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof ValidationError ? new UsageError(flag, explanation(err)) : err;
  }
}

/**
 * How a failed command ends: its exit code and the line to print on stderr (undefined when the
 * failure was already printed, as commander does for its own errors).
 */
export function failureOutcome(err: unknown): { readonly code: number; readonly message?: string } {
  if (err instanceof CommanderError) return { code: err.exitCode === 0 ? ExitCode.ok : ExitCode.usage };
  if (err instanceof ReportedFailure) return { code: ExitCode.failure };
  const message = `Error: ${err instanceof Error ? err.message : String(err)}`;
  return { code: err instanceof UsageError ? ExitCode.usage : ExitCode.failure, message };
}
