import type { PortConfig } from '../../core/model/types';

/** Published ports as docker lists them: `*:8080->80/tcp, *:5353->53/udp`; ports not yet allocated are left out. */
export function formatPorts(ports: readonly PortConfig[]): string {
  return ports
    .filter((p) => p.publishedPort !== 0)
    .map((p) => `*:${p.publishedPort}->${p.targetPort}/${p.protocol}`)
    .join(', ');
}
