import type { PeerRole } from '../../../core/cluster/identity';
import { createRootCA, generateKeyPair, issueNodeCertificate, type CertifiedKey, type KeyPairPem } from '../../../plugins/ca-forge';

/** A fixed "now" for tests. */
export const NOW = new Date('2026-03-01T12:00:00Z');
export const CLUSTER = 'cluster1';

/** A root CA made now (real clock, so that TLS accepts it). */
export const makeRoot = (clusterId = CLUSTER): Promise<CertifiedKey> => createRootCA({ clusterId, now: new Date() });

/** Key pairs, made once per test file (RSA keygen costs tens to hundreds of milliseconds). */
export const makeKeys = (n: number): Promise<KeyPairPem[]> => Promise.all(Array.from({ length: n }, () => generateKeyPair()));

/** A node certificate from `ca` for a key pair, valid from shortly before `now` (default: the real clock). */
export function nodeCert(
  ca: CertifiedKey,
  keys: KeyPairPem,
  nodeId: string,
  role: PeerRole,
  options: { now?: Date; lifetimeMs?: number; clusterId?: string } = {},
): { key: string; cert: string } {
  const cert = issueNodeCertificate({
    ca,
    publicKeyPem: keys.publicKeyPem,
    nodeId,
    role,
    clusterId: options.clusterId ?? CLUSTER,
    now: options.now ?? new Date(),
    lifetimeMs: options.lifetimeMs,
  });
  return { key: keys.privateKeyPem, cert };
}
