import { isIP } from 'node:net';
import type { PeerRole } from '../../core/cluster/identity';
import { MIN_CERT_LIFETIME_MS } from '../../core/cluster/ca-contract';
import { DAY_MS, signCertificate, validityFrom, type CertifiedKey } from './certificate';
import { parseCSR } from './csr';
import { nodeSubject } from './names';

/** Default lifetime of node certificates: 90 days (as swarm). */
export const DEFAULT_NODE_CERT_LIFETIME_MS = 90 * DAY_MS;
/** Shortest lifetime of node certificates (the kernel's `MIN_CERT_LIFETIME_MS`; swarm's is 1 hour). */
export const MIN_NODE_CERT_LIFETIME_MS = MIN_CERT_LIFETIME_MS;

/** Who a node certificate is for and how long it lives. */
export interface NodeCertificateOptions {
  /** The issuing CA (a root, or during a rotation the new root). */
  readonly ca: CertifiedKey;
  /** CN. */
  readonly nodeId: string;
  /** OU (`ROLE_OU[role]`). */
  readonly role: PeerRole;
  /** O. */
  readonly clusterId: string;
  readonly now: Date;
  /** Defaults to `DEFAULT_NODE_CERT_LIFETIME_MS`; at least `MIN_NODE_CERT_LIFETIME_MS`. */
  readonly lifetimeMs?: number;
  /** IP addresses and DNS names to add to the subject alternative names (`localhost` is always there). */
  readonly sans?: readonly string[];
}

/** The node's public key: from a certificate signing request (signature checked), or given directly. */
export type NodeKeySource = { readonly csrPem: string } | { readonly publicKeyPem: string };

const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Checks a node certificate lifetime.
 * @returns the lifetime.
 * @throws `invalid lifetimeMs …` when it is not a number of at least `MIN_NODE_CERT_LIFETIME_MS`.
 */
export function checkLifetime(lifetimeMs: number): number {
  if (!(lifetimeMs >= MIN_NODE_CERT_LIFETIME_MS) || !Number.isFinite(lifetimeMs)) {
    throw new Error(`invalid lifetimeMs ${lifetimeMs}: node certificates live at least ${MIN_NODE_CERT_LIFETIME_MS / 1000} s`);
  }
  return lifetimeMs;
}

function altNames(sans: readonly string[]): object[] {
  return [...new Set(['localhost', ...sans])].map((name) => {
    if (isIP(name)) return { type: 7, ip: name };
    if (DNS_NAME.test(name)) return { type: 2, value: name };
    throw new Error(`invalid SAN ${JSON.stringify(name)}: expected an IP address or a DNS name`);
  });
}

/**
 * Issues a node certificate: subject CN = node ID, OU = role, O = cluster ID (what `identityFromSubject`
 * reads back from a TLS peer); extended key usage server and client auth; SAN `localhost` plus `sans`;
 * backdated 1 h.
 * @returns the certificate alone, in PEM (add the CA's intermediates to make a chain).
 * @throws naming the field when a name, SAN, lifetime, CSR or key is invalid.
 */
export function issueNodeCertificate(options: NodeCertificateOptions & NodeKeySource): string {
  const lifetimeMs = checkLifetime(options.lifetimeMs ?? DEFAULT_NODE_CERT_LIFETIME_MS);
  const subject = nodeSubject(options.nodeId, options.role, options.clusterId);
  const extensions = [
    { name: 'basicConstraints', critical: true, cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: altNames(options.sans ?? []) },
  ];
  const publicKeyPem = 'csrPem' in options ? parseCSR(options.csrPem).publicKeyPem : options.publicKeyPem;
  return signCertificate({ subject, publicKeyPem, ...validityFrom(options.now, lifetimeMs), extensions }, options.ca);
}
