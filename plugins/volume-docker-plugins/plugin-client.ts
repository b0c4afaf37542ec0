import * as http from 'node:http';
import type { PluginAddress } from './discovery';

const CONTENT_TYPE = 'application/vnd.docker.plugins.v1.2+json';

/** A refusal a Docker plugin answered with (`{"Err": "…"}`). */
export class PluginError extends Error {}

/**
 * Calls one method of a Docker plugin: `POST /<method>` with a JSON body, as Docker's plugin client does.
 * @throws PluginError with the plugin's `Err` when it refuses; Error when it cannot be reached, answers
 * with a non-2xx status (404: the method is not implemented), or not with JSON.
 */
export function callPlugin<R>(addr: PluginAddress, method: string, body: object, timeoutMs = 30_000): Promise<R> {
  const payload = JSON.stringify(body);
  const target = 'socketPath' in addr ? { socketPath: addr.socketPath, path: `/${method}` } : new URL(`/${method}`, addr.baseUrl);
  return new Promise<R>((resolve, reject) => {
    const req = http.request(
      { ...('socketPath' in target ? target : { host: target.hostname, port: target.port, path: target.pathname }), method: 'POST', timeout: timeoutMs, headers: { Accept: CONTENT_TYPE, 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let answer: { Err?: string } & Record<string, unknown>;
          try {
            answer = text.trim() === '' ? {} : (JSON.parse(text) as typeof answer);
          } catch {
            reject(new Error(`${method}: the plugin answered ${res.statusCode} with no JSON: ${text.slice(0, 200)}`));
            return;
          }
          if (answer.Err) reject(new PluginError(answer.Err));
          else if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method}: the plugin answered ${res.statusCode}${res.statusCode === 404 ? ' (not implemented)' : ''}`));
          else resolve(answer as R);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method}: the plugin did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
