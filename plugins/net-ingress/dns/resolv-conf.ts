import { isIP } from 'node:net';

/**
 * The name servers a resolv.conf text names, in order: the address of each `nameserver` line (IPv4, or IPv6
 * with an optional zone such as `fe80::1%eth0`). Comments (`#` or `;` first on a line), other keywords and
 * lines whose address is not an IP address (resolv.conf allows no host names there) are skipped.
 */
export function parseResolvConf(text: string): string[] {
  const servers: string[] = [];
  for (const line of text.split('\n')) {
    const [keyword, address] = line.trim().split(/\s+/);
    if (keyword === 'nameserver' && address !== undefined && isIP(address) !== 0) servers.push(address);
  }
  return servers;
}
