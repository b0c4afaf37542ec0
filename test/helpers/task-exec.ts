import { spawnSync } from 'node:child_process';
import { containersOf, type TestNode } from './cluster';

/** Runs a command in a running container of a service's task on `node` (or any of several); never throws. */
export function execIn(node: TestNode | readonly TestNode[], service: string, ...cmd: string[]): { code: number; out: string } {
  const nodes = Array.isArray(node) ? node : [node as TestNode];
  const [container] = nodes.flatMap((n) => containersOf(n.nodeId, ['status=running', `label=orch.service.name=${service}`]));
  if (!container) return { code: -1, out: `no running container of ${service} on node ${nodes.map((n) => n.nodeId).join(', ')}` };
  const r = spawnSync('docker', ['exec', container.id, ...cmd], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/**
 * GET / of `host` port 80 from a service's container, with nc (the static busybox's wget cannot look up
 * service names): the body, or undefined when it fails.
 */
export function httpFrom(node: TestNode, service: string, host: string): string | undefined {
  const r = execIn(node, service, 'sh', '-c', `printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 ${host} 80`);
  return r.code === 0 && /^HTTP\/1\.[01] 200/.test(r.out) ? r.out.trim().split('\n').pop() : undefined;
}
