import { OrchError } from '../errors';
import { DYNAMIC_PORT_RANGE } from '../model/service-spec';
import type { PortConfig, Service } from '../model/types';

const key = (p: PortConfig) => `${p.protocol}/${p.publishedPort}`;

/**
 * Fills in the published ports of a service's endpoint: an ingress port with publishedPort 0 gets the
 * lowest free port of the dynamic range; an explicit ingress port already used by another service is
 * refused. Host-mode ports are per node and left to the scheduler's host-port filter. Pure.
 * @param others every other service (their allocated ports are taken).
 * @throws OrchError(invalid) naming the port.
 */
export function allocatePorts(ports: readonly PortConfig[], others: readonly Service[]): PortConfig[] {
  const taken = new Map<string, string>();
  for (const s of others) for (const p of s.endpoint.ports) if (p.publishMode === 'ingress') taken.set(key(p), s.spec.name);
  // Explicit ports first, so that a dynamic one listed earlier cannot take a number listed later.
  ports.forEach((p, i) => {
    if (p.publishMode !== 'ingress' || p.publishedPort === 0) return;
    const holder = taken.get(key(p));
    if (holder !== undefined) throw new OrchError('invalid', `port ${key(p)} is already published by service "${holder}"`, `endpoint.ports[${i}].publishedPort`);
    taken.set(key(p), '(this service)');
  });
  return ports.map((p, i) => {
    if (p.publishMode !== 'ingress' || p.publishedPort !== 0) return p;
    for (let n = DYNAMIC_PORT_RANGE.first; n <= DYNAMIC_PORT_RANGE.last; n++) {
      const candidate = { ...p, publishedPort: n };
      if (!taken.has(key(candidate))) {
        taken.set(key(candidate), '(this service)');
        return candidate;
      }
    }
    throw new OrchError('unavailable', `no free ${p.protocol} port left in ${DYNAMIC_PORT_RANGE.first}-${DYNAMIC_PORT_RANGE.last}`, `endpoint.ports[${i}]`);
  });
}
