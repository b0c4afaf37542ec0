import type { PeerRole } from './identity';

/** Shortest node certificate lifetime: short-lived certificates are allowed, but renewal needs some room. */
export const MIN_CERT_LIFETIME_MS = 30_000;

/**
 * The cluster's CA as kept in the store (in the cluster object), so any manager can issue certificates.
 * It holds the root private key and the join secrets: never return it whole from an API (see `publicCA`).
 */
export interface ClusterCA {
  readonly rootCertPem: string;
  readonly rootKeyPem: string;
  /** During a root rotation: the new root signed by the old one, sent with new node certificates. */
  readonly crossSignedPem?: string;
  /** During a root rotation: the old root, still trusted until every node has a new certificate. */
  readonly previousRootCertPem?: string;
  /** Lifetime of node certificates. */
  readonly certLifetimeMs: number;
  readonly workerSecret: string;
  readonly managerSecret: string;
}

/** Provider (token `Tokens.CertificateAuthority`): the cryptography behind the cluster's CA and join tokens. */
export interface CertificateAuthority {
  /** A new root CA and join secrets for a new cluster. */
  newClusterCA(clusterId: string, now: Date): Promise<ClusterCA>;
  /** A new private key for this node and a certificate signing request for it. */
  newKeyAndCSR(): Promise<{ keyPem: string; csrPem: string }>;
  /**
   * Signs a node certificate: CN = node id, OU = role, O = cluster id, for `ca.certLifetimeMs`.
   * Returns the certificate followed by any intermediate the chain needs.
   * @throws Error with a clear message for a CSR that does not parse or verify.
   */
  issue(ca: ClusterCA, req: { readonly csrPem: string; readonly nodeId: string; readonly role: PeerRole; readonly clusterId: string; readonly now: Date }): string;
  /** All roots to trust now (PEM bundle). */
  trustBundle(ca: ClusterCA): string;
  /** The join token for a role: `SWMTKN-1-<root digest>-<secret>`. */
  joinToken(ca: ClusterCA, role: PeerRole): string;
  /** The role a presented token grants, or undefined when it is wrong or rotated out. Constant-time. */
  roleForToken(ca: ClusterCA, token: string): PeerRole | undefined;
  /** Splits a token. @throws Error naming what is wrong with its form. */
  parseJoinToken(token: string): { readonly caDigest: string; readonly secret: string };
  /** Digest of a root certificate as tokens carry it. */
  certificateDigest(certPem: string): string;
  /** A copy of `ca` with a new secret for `role` (the old token stops working). */
  rotateToken(ca: ClusterCA, role: PeerRole): ClusterCA;
  /** When a node should renew `certPem`: a random point in 50–80 % of its lifetime. */
  renewalTime(certPem: string): Date;
  /** Starts a root rotation: a new root, cross-signed by the old one, which stays trusted meanwhile. */
  beginRootRotation(ca: ClusterCA, now: Date): Promise<ClusterCA>;
  /** Ends a root rotation: only the new root is trusted from now on. */
  finishRootRotation(ca: ClusterCA): ClusterCA;
  /** Digest of the root that signed a node certificate (the first certificate of `certPem`), among `ca`'s roots. */
  signingRoot(ca: ClusterCA, certPem: string): string | undefined;
}
