import forge from 'node-forge';
import { caExtensions, signCertificate, type CertifiedKey } from './certificate';
import { rewritable } from './names';
import { readCertificate } from './pem';

/** The two roots of a rotation: the new one (certificate only) and the old one (with its key). */
export interface CrossSignOptions {
  readonly newRoot: { readonly certPem: string };
  readonly oldRoot: CertifiedKey;
}

/**
 * Cross-signs a new root with the old one: a CA certificate with the new root's subject, key and
 * validity, signed by the old root. A node that trusts only the old root accepts the chain
 * `node certificate (signed by the new root) + this intermediate`, so the cluster keeps working while
 * nodes learn to trust the new root.
 * @returns the intermediate in PEM.
 * @throws when a certificate or key is malformed or the old key does not belong to the old root.
 */
export function crossSign({ newRoot, oldRoot }: CrossSignOptions): string {
  const root = readCertificate(newRoot.certPem, 'new root certificate');
  return signCertificate(
    {
      subject: rewritable(root.subject.attributes),
      publicKeyPem: forge.pki.publicKeyToPem(root.publicKey),
      notBefore: root.validity.notBefore,
      notAfter: root.validity.notAfter,
      extensions: caExtensions(),
    },
    oldRoot,
  );
}
