import { X509Certificate } from 'node:crypto';
import { identityFromSubject, type PeerIdentity } from './identity';

/** Splits a PEM bundle into certificates. */
export function parseBundle(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((c) => new X509Certificate(c));
}

/** Reads `CN=…\nOU=…` subject text into fields. */
function subjectFields(subject: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of subject.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/**
 * Verifies a peer's certificate (DER) against the trusted roots at `now`: signed by one of them,
 * inside its validity window, and a node certificate (CN node id, OU role, O cluster id).
 * @returns the identity, or why the certificate is refused.
 */
export function verifyPeerCertificate(der: Buffer, roots: readonly X509Certificate[], now: Date): PeerIdentity | { refused: string } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { refused: 'the client certificate cannot be parsed' };
  }
  if (!roots.some((r) => cert.checkIssued(r) && cert.verify(r.publicKey))) return { refused: 'the client certificate is not signed by this cluster\'s CA' };
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) return { refused: `the client certificate is not valid now (valid ${cert.validFrom} to ${cert.validTo})` };
  const identity = identityFromSubject(subjectFields(cert.subject));
  return identity ?? { refused: 'the client certificate is not a node certificate' };
}

/** The last answer of `signedBy`: a manager asks the same on every node change. */
let lastSignedBy: { readonly certPem: string; readonly rootPem: string; readonly signed: boolean } | undefined;

/** True when the first certificate of `certPem` is signed directly by `rootPem`. */
export function signedBy(certPem: string, rootPem: string): boolean {
  if (lastSignedBy?.certPem === certPem && lastSignedBy.rootPem === rootPem) return lastSignedBy.signed;
  const [leaf] = parseBundle(certPem);
  const [root] = parseBundle(rootPem);
  const signed = leaf !== undefined && root !== undefined && leaf.verify(root.publicKey);
  lastSignedBy = { certPem, rootPem, signed };
  return signed;
}
