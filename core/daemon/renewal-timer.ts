import type { Logger } from 'pino';
import type { CertificateAuthority } from '../cluster/ca-contract';
import type { NodeCredentials } from '../cluster/credentials';

/** Longest single timer (setTimeout overflows past ~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_MS = 10_000;

/**
 * Renews the node certificate at a random point in the second half of its life (50–80 %), and again
 * after every renewal; a failed renewal is retried every 10 s until it works or the certificate expires.
 */
export class RenewalTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly current: () => NodeCredentials,
    private readonly log: Logger,
    private readonly renew: () => Promise<NodeCredentials>,
  ) {}

  start(): void {
    this.stopped = false;
    this.arm(this.ca.renewalTime(this.current().certPem).getTime() - Date.now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Renews at once (e.g. a root rotation began), then on the usual schedule. */
  renewNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    return this.fire();
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    const wait = Math.max(0, Math.min(delayMs, MAX_TIMER_MS));
    this.timer = setTimeout(() => (wait < delayMs ? this.arm(delayMs - wait) : void this.fire()), wait);
    this.timer.unref();
  }

  private async fire(): Promise<void> {
    try {
      const renewed = await this.renew();
      this.log.info({ renewAt: this.ca.renewalTime(renewed.certPem).toISOString() }, 'node certificate renewed');
      this.arm(this.ca.renewalTime(renewed.certPem).getTime() - Date.now());
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'certificate renewal failed; retrying');
      this.arm(RETRY_MS);
    }
  }
}
