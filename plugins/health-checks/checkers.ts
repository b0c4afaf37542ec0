import http from 'node:http';
import net from 'node:net';
import type { HealthContext, HealthProbe, HealthResult } from '../../core/hooks';

/** exec: runs the command in the task; healthy when it exits 0. */
export async function execCheck(probe: HealthProbe, ctx: HealthContext): Promise<HealthResult> {
  if (!ctx.exec) return { healthy: false, output: 'this task\'s runtime cannot run commands in it' };
  const { exitCode, output } = await ctx.exec(probe.target, probe.timeoutMs);
  return { healthy: exitCode === 0, output };
}

/**
 * Where a probe reaches a target port of the task: its own address, else the port as bound on its node
 * (a task without an address of its own, e.g. a process); undefined when neither.
 */
export function probeTarget(ctx: HealthContext, port: number): { host: string; port: number } | undefined {
  if (ctx.addr) return { host: ctx.addr, port };
  const bound = ctx.ports?.find((p) => p.protocol === 'tcp' && p.targetPort === port);
  return bound && { host: bound.hostIp === '0.0.0.0' ? '127.0.0.1' : bound.hostIp, port: bound.hostPort };
}

const NOWHERE: HealthResult = { healthy: false, output: 'the task has no address to probe' };

/** http: GET `path` on the task's address and `port`; healthy on a 2xx or 3xx answer. */
export function httpCheck(probe: HealthProbe, ctx: HealthContext): Promise<HealthResult> {
  const [port, path] = probe.target;
  const at = probeTarget(ctx, Number(port));
  if (!at) return Promise.resolve(NOWHERE);
  return new Promise((resolve) => {
    const req = http.get({ ...at, path, timeout: probe.timeoutMs, agent: false }, (res) => {
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
  const at = probeTarget(ctx, Number(port));
  if (!at) return Promise.resolve(NOWHERE);
  return new Promise((resolve) => {
    const socket = net.connect({ ...at, timeout: probe.timeoutMs });
    const done = (result: HealthResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.on('connect', () => done({ healthy: true, output: `port ${port} accepts connections` }));
    socket.on('timeout', () => done({ healthy: false, output: `port ${port}: no connection within ${probe.timeoutMs} ms` }));
    socket.on('error', (err) => done({ healthy: false, output: `port ${port}: ${err.message}` }));
  });
}
