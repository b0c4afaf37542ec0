import http from 'node:http';
import net from 'node:net';
import type { HealthContext, HealthProbe, HealthResult } from '../../core/hooks';

/** exec: runs the command in the task; healthy when it exits 0. */
export async function execCheck(probe: HealthProbe, ctx: HealthContext): Promise<HealthResult> {
  if (!ctx.exec) return { healthy: false, output: 'this task\'s runtime cannot run commands in it' };
  const { exitCode, output } = await ctx.exec(probe.target, probe.timeoutMs);
  return { healthy: exitCode === 0, output };
}

/** http: GET `path` on the task's address and `port`; healthy on a 2xx or 3xx answer. */
export function httpCheck(probe: HealthProbe, ctx: HealthContext): Promise<HealthResult> {
  const [port, path] = probe.target;
  if (!ctx.addr) return Promise.resolve({ healthy: false, output: 'the task has no address to probe' });
  return new Promise((resolve) => {
    const req = http.get({ host: ctx.addr, port: Number(port), path, timeout: probe.timeoutMs, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve({ healthy: code >= 200 && code < 400, output: `GET ${path}: ${code} ${res.statusMessage ?? ''}`.trim() });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${probe.timeoutMs} ms`)));
    req.on('error', (err) => resolve({ healthy: false, output: `GET ${path}: ${err.message}` }));
  });
}

/** tcp: connects to `port` on the task's address; healthy when the connection is accepted. */
export function tcpCheck(probe: HealthProbe, ctx: HealthContext): Promise<HealthResult> {
  const [port] = probe.target;
  if (!ctx.addr) return Promise.resolve({ healthy: false, output: 'the task has no address to probe' });
  return new Promise((resolve) => {
    const socket = net.connect({ host: ctx.addr, port: Number(port), timeout: probe.timeoutMs });
    const done = (result: HealthResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.on('connect', () => done({ healthy: true, output: `port ${port} accepts connections` }));
    socket.on('timeout', () => done({ healthy: false, output: `port ${port}: no connection within ${probe.timeoutMs} ms` }));
    socket.on('error', (err) => done({ healthy: false, output: `port ${port}: ${err.message}` }));
  });
}
