import type { PortConfig, Service, ServiceEndpoint, ServiceSpec } from '../model/types';
import { allocatePorts } from './ports';

/**
 * Ports of an updated spec with the published ports they had: a port asking for any published port
 * (0) keeps the one allocated before to a port of the same protocol, target port and publish mode,
 * each old port going to one new port at most. Pure.
 * @param previous the service's allocated ports (its endpoint's).
 */
export function keepPublishedPorts(ports: readonly PortConfig[], previous: readonly PortConfig[]): PortConfig[] {
  const left = [...previous];
  return ports.map((p) => {
    if (p.publishedPort !== 0) return p;
    const at = left.findIndex((q) => q.protocol === p.protocol && q.targetPort === p.targetPort && q.publishMode === p.publishMode);
    if (at < 0) return p;
    const [kept] = left.splice(at, 1);
    return { ...p, publishedPort: kept.publishedPort };
  });
}

/**
 * The published ports of `spec`, allocated against every other service.
 * @param current the service it updates, whose allocated ports it keeps where it can.
 * @param others every other service; called only when the spec publishes ports (it scans every service).
 * @throws OrchError(invalid) naming the port another service publishes.
 */
export function endpointPorts(spec: ServiceSpec, others: () => readonly Service[], current?: Service): PortConfig[] {
  const ports = current ? keepPublishedPorts(spec.endpoint.ports, current.endpoint.ports) : spec.endpoint.ports;
  return ports.length === 0 ? [] : allocatePorts(ports, others());
}

/**
 * The endpoint of a service updated to `spec`: its ports, and the virtual IPs it keeps (those on
 * networks it stays on, in vip mode only; the allocator adds the missing ones). Pure.
 */
export function updatedEndpoint(current: Service, spec: ServiceSpec, ports: readonly PortConfig[]): ServiceEndpoint {
  const mode = spec.endpoint.mode ?? 'vip';
  const stays = new Set((spec.networks ?? []).map((n) => n.target));
  const virtualIps = mode === 'vip' ? (current.endpoint.virtualIps ?? []).filter((v) => stays.has(v.networkId)) : [];
  return { mode, ports, virtualIps };
}

/**
 * `current` moved to `spec` as its next spec version: the spec it had becomes its previous spec, and its
 * endpoint follows (see `updatedEndpoint`). Pure but for `others`.
 * @param others every other service, read only when `spec` publishes ports.
 * @throws OrchError(invalid) naming a port another service publishes.
 */
export function withNextSpec(current: Service, spec: ServiceSpec, others: () => readonly Service[]): Service {
  const endpoint = updatedEndpoint(current, spec, endpointPorts(spec, others, current));
  return { ...current, spec, previousSpec: current.spec, specVersion: current.specVersion + 1, endpoint };
}
