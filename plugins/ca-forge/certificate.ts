import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { rewritable } from './names';
import { signCertificateNatively } from './native-sign';
import { lf, readCertificate, checkPrivateKeyFor, readPublicKey } from './pem';

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds. */
export const DAY_MS = 24 * HOUR_MS;
/** How far back certificates are dated, so that peers whose clock is a little behind accept them at once (as in swarm). */
export const BACKDATE_MS = HOUR_MS;

/** When a certificate is valid. */
export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A certificate and its private key, in PEM. */
export interface CertifiedKey {
  readonly certPem: string;
  readonly keyPem: string;
}

/** What goes into a certificate besides its issuer, serial and key identifiers. */
export interface CertificateTemplate extends Validity {
  readonly subject: forge.pki.CertificateField[];
  readonly publicKeyPem: string;
  /** node-forge extension descriptions (forge fills them in, so pass fresh objects). */
  readonly extensions: object[];
}

/** Validity from `now - BACKDATE_MS` to `now + lifetimeMs`. */
export function validityFrom(now: Date, lifetimeMs: number): Validity {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + lifetimeMs) };
}

/** Extensions of a CA certificate: CA with path length 1 (room for a cross-signed intermediate), signs certificates and CRLs. */
export function caExtensions(): object[] {
  return [
    { name: 'basicConstraints', critical: true, cA: true, pathLenConstraint: 1 },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
  ];
}

/** A random positive 16-byte serial number, in hex, whose first byte is never 0 (so its DER is minimal). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** The key identifier of a certificate: its subjectKeyIdentifier extension, else the SHA-1 of its key (RFC 5280 method 1). */
function keyIdentifier(cert: forge.pki.Certificate): string {
  const ext = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier ? forge.util.hexToBytes(ext.subjectKeyIdentifier) : cert.generateSubjectKeyIdentifier().getBytes();
}

/**
 * Builds and signs a certificate with SHA-256, a random 16-byte serial, and subject and authority key
 * identifiers — the authority key identifier is what lets TLS tell apart two roots with the same name,
 * as an old and a new root are during a rotation.
 * @param issuer the signing CA; with `keyPem` alone the certificate is self-signed with that key.
 * @throws when a PEM is malformed or the key does not belong to the issuer's certificate.
 */
export function signCertificate(template: CertificateTemplate, issuer: CertifiedKey | { readonly keyPem: string }): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = readPublicKey(template.publicKeyPem, 'public key');
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = template.notBefore;
  cert.validity.notAfter = template.notAfter;
  cert.setSubject(template.subject);
  const issuerCert = 'certPem' in issuer ? readCertificate(issuer.certPem, 'CA certificate') : cert;
  cert.setIssuer(issuerCert === cert ? template.subject : rewritable(issuerCert.subject.attributes));
  checkPrivateKeyFor(issuerCert.publicKey, issuer.keyPem, 'CA private key');
  cert.setExtensions([
    ...template.extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: keyIdentifier(issuerCert) },
  ]);
  signCertificateNatively(cert, issuer.keyPem);
  return lf(forge.pki.certificateToPem(cert));
}
