import type { Endpoint } from '../../core/network/contract';
import type { Protocol } from '../../core/model/types';
import type { Backend } from './balancer';

/**
 * Where this node reaches a target port of each endpoint: a task on this node at its own address (no
 * published-port hop in the way), a task elsewhere at the port its node exposes it on. An endpoint
 * elsewhere that does not expose the port is left out.
 */
export function backendsFor(endpoints: readonly Endpoint[], protocol: Protocol, targetPort: number, selfNodeId: string): Backend[] {
  const out: Backend[] = [];
  for (const e of endpoints) {
    if (e.nodeId === selfNodeId && e.addr !== undefined) {
      out.push({ host: e.addr, port: targetPort });
      continue;
    }
    const bound = e.ports.find((p) => p.protocol === protocol && p.targetPort === targetPort);
    if (bound) out.push({ host: bound.hostIp, port: bound.hostPort });
  }
  return out;
}
