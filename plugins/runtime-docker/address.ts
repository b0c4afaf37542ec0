import type { NetworkInfo } from 'dockerode';

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
