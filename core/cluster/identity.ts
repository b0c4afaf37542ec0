/** A node's role as its certificate states it. */
export type PeerRole = 'manager' | 'worker';

/** Who is on the other end of a mutual-TLS connection, read from its certificate. */
export interface PeerIdentity {
  /** Certificate CN. */
  readonly nodeId: string;
  /** Certificate OU. */
  readonly role: PeerRole;
  /** Certificate O. */
  readonly clusterId: string;
}

/** The OU value of each role in node certificates. */
export const ROLE_OU: Readonly<Record<PeerRole, string>> = { manager: 'orch-manager', worker: 'orch-worker' };

/** Subject fields of a certificate as Node's TLS layer gives them (OU may be an array). */
export interface CertificateSubject {
  readonly CN?: string | readonly string[];
  readonly OU?: string | readonly string[];
  readonly O?: string | readonly string[];
}

const one = (v: string | readonly string[] | undefined): string | undefined => (Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : (v as string | undefined));

/** Reads a node identity from a certificate subject; undefined when it is not a node certificate. */
export function identityFromSubject(subject: CertificateSubject | undefined): PeerIdentity | undefined {
  if (!subject) return undefined;
  const nodeId = one(subject.CN);
  const ou = one(subject.OU);
  const clusterId = one(subject.O);
  const role = (Object.keys(ROLE_OU) as PeerRole[]).find((r) => ROLE_OU[r] === ou);
  if (!nodeId || !clusterId || !role) return undefined;
  return { nodeId, role, clusterId };
}
