/** IPv4 addresses and subnets as numbers. Pure. */

/** An IPv4 subnet: its first address (as an unsigned 32-bit number) and prefix length. */
export interface Subnet {
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** `10.0.1.2` → its number; undefined when it is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** A number → `10.0.1.2`. */
export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Size of a subnet (addresses, network and broadcast included). */
export function subnetSize(s: Subnet): number {
  return 2 ** (32 - s.prefix);
}

/**
 * `10.0.1.0/24` → its subnet; undefined when the text is not a CIDR or has host bits set
 * (`10.0.1.5/24`), which would leave its meaning in doubt.
 */
export function parseCidr(text: string): Subnet | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const base = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  if (base % 2 ** (32 - prefix) !== 0) return undefined;
  return { base, prefix };
}

export function formatCidr(s: Subnet): string {
  return `${formatIpv4(s.base)}/${s.prefix}`;
}

/** Whether `addr` lies in `s`. */
export function contains(s: Subnet, addr: number): boolean {
  return addr >= s.base && addr < s.base + subnetSize(s);
}

/** Whether two subnets share any address. */
export function overlaps(a: Subnet, b: Subnet): boolean {
  return contains(a, b.base) || contains(b, a.base);
}

/** The subnet's gateway: its first host address. */
export function gatewayOf(s: Subnet): number {
  return s.base + 1;
}

/** Host addresses a subnet offers tasks and virtual IPs: all but the network, gateway and broadcast addresses. */
export function usableRange(s: Subnet): { readonly first: number; readonly last: number } {
  return { first: s.base + 2, last: s.base + subnetSize(s) - 2 };
}
