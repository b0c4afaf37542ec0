import * as net from 'node:net';
import type { PortBinding, Task } from '../model/types';

/** Longest a task without a health check is held at STARTING while its TCP target ports do not answer yet. */
export const PORT_READY_TIMEOUT_MS = 2000;

/**
 * Where to knock to see a started task serve its TCP target ports: its own address and each target port,
 * or, for a task without an address of its own, each port as bound on its node. Pure.
 */
export function readinessTargets(task: Task, addr: string | undefined, bound: readonly PortBinding[] | undefined): { host: string; port: number }[] {
  const targets = [...new Set(task.ports.filter((p) => p.protocol === 'tcp').map((p) => p.targetPort))];
  if (addr !== undefined) return targets.map((port) => ({ host: addr, port }));
  return (bound ?? [])
    .filter((b) => b.protocol === 'tcp' && targets.includes(b.targetPort))
    .map((b) => ({ host: b.hostIp === '0.0.0.0' ? '127.0.0.1' : b.hostIp, port: b.hostPort }));
}

/** True once a TCP connection to `host:port` is accepted; false when none is by `deadline` (epoch ms). Never rejects. */
export async function acceptsBy(host: string, port: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port, timeout: Math.max(1, Math.min(250, deadline - Date.now())) });
      const done = (result: boolean) => {
        socket.destroy();
        resolve(result);
      };
      socket.once('connect', () => done(true));
      socket.once('timeout', () => done(false));
      socket.once('error', () => done(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
