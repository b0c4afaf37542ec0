import type { Logger } from 'pino';

/**
 * Binds a socket and keeps trying until it works or {@link Binding.cancel} is called: an address or port
 * that is taken (`EADDRINUSE`) or not there yet (`EADDRNOTAVAIL`) is logged once and retried every
 * `retryMs`, so that it never takes the daemon down.
 */
export class Binding {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private cancelled = false;
  /** Whether the socket is bound. */
  bound = false;

  constructor(
    private readonly listen: () => Promise<void>,
    private readonly what: string,
    private readonly log: Logger,
    private readonly retryMs: number,
  ) {
    this.attempt();
  }

  /** Stops retrying (the socket itself is closed by its owner). */
  cancel(): void {
    this.cancelled = true;
    clearTimeout(this.timer);
  }

  private attempt(): void {
    this.timer = undefined;
    this.listen().then(
      () => {
        if (this.cancelled) return;
        this.bound = true;
        this.log.info(`${this.what}: listening${this.failures > 0 ? ` after ${this.failures} failed attempts` : ''}`);
      },
      (err: NodeJS.ErrnoException) => {
        if (this.cancelled) return;
        const message = `${this.what}: cannot bind (${err.code ?? err.message}); retrying every ${this.retryMs} ms`;
        if (this.failures++ === 0) this.log.error({ err }, message);
        else this.log.debug({ err }, message);
        this.timer = setTimeout(() => this.attempt(), this.retryMs).unref();
      },
    );
  }
}
