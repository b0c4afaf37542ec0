import type { ClusterCA } from '../../core/cluster/ca-contract';
import type { PeerRole } from '../../core/cluster/identity';
import { checkLifetime, DEFAULT_NODE_CERT_LIFETIME_MS, issueNodeCertificate, type NodeKeySource } from './issue';
import { makeJoinToken, newTokenSecret, tokenMatches } from './join-token';
import { joinPem, readX509, subjectOf } from './pem';
import { createRootCA } from './root-ca';
import { crossSign } from './rotation';

/**
 * The cluster's CA as it lives in the cluster object in the store (the kernel's `ClusterCA`). Only
 * managers may read it whole; `publicView` is what may leave them.
 */
export type CAState = ClusterCA;

/** The CA without its private key and token secrets: safe for API responses and any node. */
export type PublicCAState = Pick<CAState, 'rootCertPem' | 'crossSignedPem' | 'previousRootCertPem' | 'certLifetimeMs'>;

/** A request for a node certificate from the cluster's CA. */
export type NodeCertificateRequest = NodeKeySource & {
  readonly nodeId: string;
  readonly role: PeerRole;
  readonly now: Date;
  /** IP addresses and DNS names besides `localhost`. */
  readonly sans?: readonly string[];
};

/**
 * A new cluster CA: a fresh root and fresh worker and manager token secrets.
 * @throws when the cluster ID is not a valid name or the lifetime is below the minimum.
 */
export async function newCAState(clusterId: string, now: Date, certLifetimeMs: number = DEFAULT_NODE_CERT_LIFETIME_MS): Promise<CAState> {
  checkLifetime(certLifetimeMs);
  const root = await createRootCA({ clusterId, now });
  return {
    rootCertPem: root.certPem,
    rootKeyPem: root.keyPem,
    certLifetimeMs,
    workerSecret: newTokenSecret(),
    managerSecret: newTokenSecret(),
  };
}

/** The state with a new secret for one role's join token; the old token stops working, the other role's does not. */
export function rotateTokens(state: CAState, which: PeerRole): CAState {
  return which === 'manager' ? { ...state, managerSecret: newTokenSecret() } : { ...state, workerSecret: newTokenSecret() };
}

/** The current join tokens; they pin the current root. */
export function joinTokens(state: CAState): Readonly<Record<PeerRole, string>> {
  return { worker: makeJoinToken(state.rootCertPem, state.workerSecret), manager: makeJoinToken(state.rootCertPem, state.managerSecret) };
}

/**
 * The role a join token admits its holder as, or undefined when it matches neither secret.
 * @throws `invalid join token: …` when the token is malformed.
 */
export function roleForToken(state: CAState, token: string): PeerRole | undefined {
  if (tokenMatches(token, state.managerSecret)) return 'manager';
  return tokenMatches(token, state.workerSecret) ? 'worker' : undefined;
}

/** The roots to trust now, in PEM: the current root and, during a rotation, the previous one. */
export function trustBundle(state: CAState): string {
  return joinPem(state.previousRootCertPem ? [state.rootCertPem, state.previousRootCertPem] : [state.rootCertPem]);
}

/** The cluster ID, which the root carries as its O. */
function clusterIdOf(state: CAState): string {
  const { O } = subjectOf(readX509(state.rootCertPem, 'root certificate')[0]);
  if (typeof O !== 'string') throw new Error('invalid root certificate: its subject has no single O (cluster ID)');
  return O;
}

/**
 * Issues a node certificate from the current root, with this CA's lifetime.
 * @returns the certificate chain in PEM: the node certificate and, during a rotation, the cross-signed
 * root, so that nodes still trusting only the previous root accept it.
 * @throws naming the field when the request is invalid (see `issueNodeCertificate`).
 */
export function issueNodeChain(state: CAState, request: NodeCertificateRequest): string {
  const certPem = issueNodeCertificate({
    ...request,
    ca: { certPem: state.rootCertPem, keyPem: state.rootKeyPem },
    clusterId: clusterIdOf(state),
    lifetimeMs: state.certLifetimeMs,
  });
  return joinPem(state.crossSignedPem ? [certPem, state.crossSignedPem] : [certPem]);
}

/**
 * Starts a root rotation: a new root signs from now on; the old root stays trusted and cross-signs the
 * new one. Join tokens keep their secrets and pin the new root. Finish once every node has a certificate
 * from the new root and trusts it.
 * @throws when a rotation is already in progress.
 */
export async function beginRootRotation(state: CAState, now: Date): Promise<CAState> {
  if (state.previousRootCertPem) throw new Error('a root rotation is already in progress; finish it first');
  const newRoot = await createRootCA({ clusterId: clusterIdOf(state), now });
  return {
    ...state,
    rootCertPem: newRoot.certPem,
    rootKeyPem: newRoot.keyPem,
    crossSignedPem: crossSign({ newRoot, oldRoot: { certPem: state.rootCertPem, keyPem: state.rootKeyPem } }),
    previousRootCertPem: state.rootCertPem,
  };
}

/**
 * Ends a root rotation: the previous root is no longer trusted and the cross-signed root is no longer sent.
 * @throws when no rotation is in progress.
 */
export function finishRootRotation(state: CAState): CAState {
  if (!state.previousRootCertPem) throw new Error('no root rotation is in progress');
  const { rootCertPem, rootKeyPem, certLifetimeMs, workerSecret, managerSecret } = state;
  return { rootCertPem, rootKeyPem, certLifetimeMs, workerSecret, managerSecret };
}

/** The state without the root's private key and the token secrets (fields are copied by name, so new secrets never leak). */
export function publicView(state: CAState): PublicCAState {
  const { rootCertPem, crossSignedPem, previousRootCertPem, certLifetimeMs } = state;
  return {
    rootCertPem,
    certLifetimeMs,
    ...(crossSignedPem ? { crossSignedPem } : {}),
    ...(previousRootCertPem ? { previousRootCertPem } : {}),
  };
}
