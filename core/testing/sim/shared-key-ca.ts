import type { CertificateAuthority } from '../../cluster/ca-contract';

/**
 * The CA provider `ca` with one key and CSR made once and handed to every caller: simulated nodes that
 * join with it still get one certificate each (the manager signs a certificate per join, naming the new
 * node), but skip making an RSA key apiece, which would take most of a 1,000-node start. Only for tests.
 */
export function sharedKeyCA(ca: CertificateAuthority): CertificateAuthority {
  let made: ReturnType<CertificateAuthority['newKeyAndCSR']> | undefined;
  return { ...ca, newKeyAndCSR: () => (made ??= ca.newKeyAndCSR()) };
}
