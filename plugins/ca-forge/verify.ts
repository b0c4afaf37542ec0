import { createHash, type X509Certificate } from 'node:crypto';
import { identityFromSubject, type PeerIdentity } from '../../core/cluster/identity';
import { base36 } from './base36';
import { readX509, subjectOf } from './pem';

/** Length of a CA digest in base 36: enough for any SHA-256 value. */
export const DIGEST_LENGTH = 50;

/** A node certificate that chains to a trusted root, and what it says. */
export interface VerifiedCertificate {
  readonly identity: PeerIdentity;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const validity = (cert: X509Certificate) => ({ notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) });

function checkTime(cert: X509Certificate, now: Date, what: string): void {
  const { notBefore, notAfter } = validity(cert);
  if (now < notBefore) throw new Error(`${what} is not valid before ${notBefore.toISOString()} (now ${now.toISOString()})`);
  if (now > notAfter) throw new Error(`${what} expired at ${notAfter.toISOString()} (now ${now.toISOString()})`);
}

/** True when `issuer` is a CA whose name and key identifier match `cert`'s issuer and whose key signed it. */
const issued = (issuer: X509Certificate, cert: X509Certificate): boolean =>
  issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

/**
 * Verifies a node certificate against trusted roots: every certificate on the way must be valid at `now`
 * and signed by the next, ending at one of the roots.
 * @param certPem the node certificate, optionally followed by intermediates (a cross-signed root).
 * @param rootsPem trusted roots; each entry may hold several certificates.
 * @throws with a clear message when a PEM is malformed, a certificate is expired or not yet valid, the
 * chain reaches no trusted root, or the certificate is not an orch node certificate.
 */
export function verifyCertificate(certPem: string, rootsPem: readonly string[], now: Date = new Date()): VerifiedCertificate {
  const [leaf, ...intermediates] = readX509(certPem, 'certificate');
  const roots = rootsPem.flatMap((pem) => readX509(pem, 'root certificate'));
  checkTime(leaf, now, 'certificate');
  let current = leaf;
  for (let depth = 0; depth <= intermediates.length; depth++) {
    const root = roots.find((r) => issued(r, current));
    if (root) {
      checkTime(root, now, 'root certificate');
      const identity = identityFromSubject(subjectOf(leaf));
      if (!identity) throw new Error('certificate is not an orch node certificate: its subject lacks a node ID, role or cluster ID');
      return { identity, ...validity(leaf) };
    }
    const next = intermediates.find((c) => issued(c, current));
    if (!next) break;
    checkTime(next, now, 'intermediate certificate');
    current = next;
  }
  throw new Error('certificate is not signed by a trusted root');
}

/**
 * The digest a join token pins a CA by: SHA-256 of the (first) certificate's DER, in base 36,
 * left-padded with `0` to 50 characters.
 * @throws `invalid CA certificate: …` on a malformed PEM.
 */
export function certificateDigest(certPem: string): string {
  const [cert] = readX509(certPem, 'CA certificate');
  return base36(createHash('sha256').update(cert.raw).digest(), DIGEST_LENGTH);
}
