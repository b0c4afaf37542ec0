import { X509Certificate } from 'node:crypto';
// Load tls before anything calls X509Certificate#toLegacyObject: on Node 20 that method loads
// `_tls_common` on first use, and if `tls` was not loaded yet the circular load leaves
// `tls.createSecureContext` undefined for the rest of the process (no TLS server or client works).
import 'node:tls';
import forge from 'node-forge';
import type { CertificateSubject } from '../../core/cluster/identity';

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The `CERTIFICATE` blocks of a PEM text, in order. */
function splitCertificates(pem: string): string[] {
  return typeof pem === 'string' ? (pem.match(CERTIFICATE_BLOCK) ?? []) : [];
}

/** A PEM text from node-forge (which ends lines with CRLF) with LF line ends, as `node:crypto` writes them. */
export function lf(pem: string): string {
  return pem.replace(/\r\n/g, '\n');
}

/** Concatenates PEM texts, one block after another, ending with a newline. */
export function joinPem(pems: readonly string[]): string {
  return `${pems.map((p) => p.trim()).join('\n')}\n`;
}

/**
 * Parses every certificate of a PEM text with `node:crypto`.
 * @throws `invalid <what>: …` when the text holds no certificate or a malformed one.
 */
export function readX509(pem: string, what: string): X509Certificate[] {
  const blocks = splitCertificates(pem);
  if (blocks.length === 0) throw new Error(`invalid ${what}: expected a PEM "CERTIFICATE" block`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new Error(`invalid ${what}: ${reason(err)}`);
    }
  });
}

/** A certificate's subject as Node's TLS layer reports it (`getPeerCertificate().subject`). */
export function subjectOf(cert: X509Certificate): CertificateSubject {
  return cert.toLegacyObject().subject;
}

/**
 * Parses a PEM object with node-forge, turning forge's internal errors into `invalid <what>: …`.
 * @param label the PEM label expected, e.g. `CERTIFICATE REQUEST`.
 */
export function readForge<T>(pem: string, label: string, what: string, parse: (pem: string) => T): T {
  if (typeof pem !== 'string' || !pem.includes(`-----BEGIN ${label}-----`)) {
    throw new Error(`invalid ${what}: expected a PEM "${label}" block`);
  }
  try {
    return parse(pem);
  } catch (err) {
    throw new Error(`invalid ${what}: ${reason(err)}`);
  }
}

/** Parses the first certificate of a PEM text with node-forge. */
export function readCertificate(pem: string, what: string): forge.pki.Certificate {
  return readForge(pem, 'CERTIFICATE', what, forge.pki.certificateFromPem);
}

/** Parses an RSA public key (SPKI PEM) with node-forge. */
export function readPublicKey(pem: string, what: string): forge.pki.rsa.PublicKey {
  return readForge(pem, 'PUBLIC KEY', what, forge.pki.publicKeyFromPem);
}

/**
 * Checks that an RSA private key (PKCS#8 PEM) parses and belongs to `publicKey`, before Node's crypto
 * signs with it (its own errors would not say which key is wrong).
 * @throws `invalid <what>: …` when it does not parse, `<what> does not match …` when it belongs to another key.
 */
export function checkPrivateKeyFor(publicKey: forge.pki.PublicKey, pem: string, what: string): void {
  const key = readForge(pem, 'PRIVATE KEY', what, forge.pki.privateKeyFromPem);
  const expected = publicKey as forge.pki.rsa.PublicKey;
  if (!expected.n || !expected.n.equals(key.n) || !expected.e.equals(key.e)) {
    throw new Error(`${what} does not match the public key it should sign for`);
  }
}
