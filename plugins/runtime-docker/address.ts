import type { NetworkInfo, PortMap } from 'dockerode';
import type { PortBinding } from '../../core/model/types';
import { parsePortKey } from './container-config';

/**
 * Where a container's ports answer: its IP on the network it was created on (`HostConfig.NetworkMode`),
 * else its first IP on any network. Undefined when it has none (not running, or host networking).
 */
export function containerAddress(
  networkMode: string | undefined,
  networks: Readonly<Record<string, NetworkInfo>> | undefined,
): string | undefined {
  const primary = networkMode !== undefined ? networks?.[networkMode]?.IPAddress : undefined;
  return primary || Object.values(networks ?? {}).find((n) => n.IPAddress)?.IPAddress || undefined;
}

/**
 * The container's target ports bound on `hostIp` (its exposed ports, not host-mode ones on other
 * addresses), as the engine reports them once it runs.
 */
export function boundPorts(ports: PortMap | undefined, hostIp: string | undefined): PortBinding[] {
  if (hostIp === undefined) return [];
  const out: PortBinding[] = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const target = parsePortKey(key);
    if (!target) continue;
    for (const b of (bindings as { HostIp: string; HostPort: string }[] | null) ?? []) {
      if (b.HostIp === hostIp) out.push({ ...target, hostIp, hostPort: Number(b.HostPort) });
    }
  }
  return out.sort((a, b) => a.targetPort - b.targetPort || a.protocol.localeCompare(b.protocol));
}
