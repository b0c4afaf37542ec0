/** HTTP status of a failed Docker API call, or undefined when the engine did not answer. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message for a failed call (without dockerode's HTTP prefix), else the error's message. */
export function messageOf(err: unknown): string {
  const engineMessage = (err as { json?: { message?: unknown } } | null | undefined)?.json?.message;
  if (typeof engineMessage === 'string') return engineMessage;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Awaits `call`, treating the listed HTTP statuses as success: e.g. 404 for "already gone" or 304 for
 * "already stopped", which is what makes stop and remove idempotent.
 */
export async function tolerating(statuses: readonly number[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    const status = statusOf(err);
    if (status === undefined || !statuses.includes(status)) throw err;
  }
}
