/** Checking that a path to the backends answers before it is measured. */
import * as http from 'node:http';

const TIMEOUT_MS = 2000;

/** GETs `url` over a connection of its own and resolves with the body, trimmed (a backend's hostname). */
export function getOnce(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8').trim()) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

/** The distinct bodies (backend hostnames) of `requests` GETs of `url`, one connection each, one after the other. */
export async function backendsBehind(url: string, requests: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < requests; i++) seen.add(await getOnce(url));
  return seen;
}
