import { caExtensions, DAY_MS, signCertificate, validityFrom, type CertifiedKey } from './certificate';
import { generateKeyPair } from './keys';
import { rootSubject } from './names';

/** Default lifetime of a root CA: 20 years (as swarm). */
export const ROOT_LIFETIME_MS = 20 * 365 * DAY_MS;

/** What `createRootCA` needs. */
export interface RootCAOptions {
  /** The cluster's ID; becomes the root's O. */
  readonly clusterId: string;
  readonly now: Date;
  readonly lifetimeMs?: number;
}

/**
 * Creates a cluster's root CA with a fresh RSA key: self-signed, CN `orch-ca`, O = cluster ID, CA with
 * path length 1, key usage certificate and CRL signing, SHA-256, random serial, backdated 1 h.
 * @throws when the cluster ID is not a valid name.
 */
export async function createRootCA({ clusterId, now, lifetimeMs = ROOT_LIFETIME_MS }: RootCAOptions): Promise<CertifiedKey> {
  const subject = rootSubject(clusterId);
  const keys = await generateKeyPair();
  const certPem = signCertificate(
    { subject, publicKeyPem: keys.publicKeyPem, ...validityFrom(now, lifetimeMs), extensions: caExtensions() },
    { keyPem: keys.privateKeyPem },
  );
  return { certPem, keyPem: keys.privateKeyPem };
}
