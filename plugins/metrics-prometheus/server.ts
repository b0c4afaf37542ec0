import * as http from 'node:http';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** Where the metrics endpoint listens. */
export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
}

/** The only path served. */
const METRICS_PATH = '/metrics';

/**
 * Reads `kernel.config.metricsAddr`: `IP:PORT` or `[IPv6]:PORT`.
 * @throws Error naming `metricsAddr` when it is not such an address.
 */
export function parseMetricsAddr(addr: string): MetricsAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(addr);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (host === undefined || isIP(host) === 0 || !(port >= 0 && port <= 65535)) {
    throw new Error(`invalid metricsAddr: expected IP:PORT (such as 127.0.0.1:9323), got "${addr}"`);
  }
  return { host, port };
}

/**
 * The metrics endpoint: `GET /metrics` answers with the registry `scrape` returns, in its text exposition
 * format; every other path is 404 and every other method on `/metrics` 405.
 */
export class MetricsServer {
  private readonly server: http.Server;

  constructor(
    private readonly scrape: () => Registry,
    private readonly log: Logger,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /**
   * Starts listening on `addr`.
   * @throws Error naming the address when it cannot be bound (in use, not a local address, …).
   */
  listen(addr: MetricsAddress): Promise<void> {
    const shown = isIP(addr.host) === 6 ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => reject(new Error(`cannot serve metrics on ${shown} (--metrics-addr): ${err.message}`));
      this.server.once('error', failed);
      this.server.listen(addr.port, addr.host, () => {
        this.server.off('error', failed);
        this.server.on('error', (err) => this.log.warn({ err: err.message }, 'metrics endpoint failed'));
        this.log.info({ addr: shown }, `serving metrics on http://${shown}${METRICS_PATH}`);
        resolve();
      });
    });
  }

  /** Stops listening and ends open connections; resolves at once when it never listened. */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (path !== METRICS_PATH) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: metrics are at /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
    try {
      const registry = this.scrape();
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not collect metrics');
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`could not collect metrics: ${(err as Error).message}\n`);
    }
  }
}
