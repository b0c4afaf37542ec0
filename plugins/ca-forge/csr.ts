import forge from 'node-forge';
import { requestSubject } from './names';
import { signRequestNatively } from './native-sign';
import { lf, readForge, checkPrivateKeyFor, readPublicKey } from './pem';

/** What `createCSR` needs: the node's key pair and, when it has one, its node ID. */
export interface CSROptions {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  /** Put in the request's CN; only a hint, since the CA decides the subject. */
  readonly nodeId?: string;
}

/**
 * Creates a certificate signing request (PKCS#10, SHA-256) for a node's key pair.
 * @throws when a key is malformed or the two keys do not belong together.
 */
export function createCSR({ privateKeyPem, publicKeyPem, nodeId }: CSROptions): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = readPublicKey(publicKeyPem, 'public key');
  csr.setSubject(requestSubject(nodeId));
  checkPrivateKeyFor(csr.publicKey, privateKeyPem, 'private key');
  signRequestNatively(csr, privateKeyPem);
  return lf(forge.pki.certificationRequestToPem(csr));
}

/** Whether a request's self-signature verifies (forge throws, rather than answering false, on some bad signatures). */
function verifies(csr: forge.pki.CertificateSigningRequest): boolean {
  try {
    return csr.verify();
  } catch {
    return false;
  }
}

/**
 * Reads a certificate signing request and checks its signature (proof that the requester holds the key).
 * @returns the requested public key as SPKI PEM; the request's subject is ignored.
 * @throws `invalid CSR: …` when it is not a PEM certificate request, cannot be parsed, or its signature does not verify.
 */
export function parseCSR(csrPem: string): { readonly publicKeyPem: string } {
  return readForge(csrPem, 'CERTIFICATE REQUEST', 'CSR', (pem) => {
    const csr = forge.pki.certificationRequestFromPem(pem, true);
    if (!csr.publicKey || !verifies(csr)) throw new Error('its signature does not verify');
    return { publicKeyPem: lf(forge.pki.publicKeyToPem(csr.publicKey)) };
  });
}
