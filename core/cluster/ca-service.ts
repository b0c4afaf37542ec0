import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { InvalidPayload, jsonServiceDefinition, toServiceError } from '../api/grpc-json';
import { OrchError } from '../errors';
import { newId } from '../model/ids';
import { obj, str, type Json } from '../model/check';
import type { Cluster } from '../model/types';
import { updateRetrying } from '../store/update-retrying';
import type { ClusterStore } from '../store/contract';
import type { CertificateAuthority, ClusterCA } from './ca-contract';
import type { ClusterServer, ServerCall } from './contract';

/** `orch.CA`: how nodes get (join) and renew their certificates. */
export const CA_SERVICE = jsonServiceDefinition('orch.CA', ['IssueNodeCertificate', 'RenewNodeCertificate', 'Status']);

/** Reply to both calls. */
export interface IssuedCertificate {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: 'manager' | 'worker';
  readonly certPem: string;
  readonly rootsPem: string;
}

export interface CAServiceDeps {
  readonly store: ClusterStore;
  readonly ca: CertificateAuthority;
  readonly log: Logger;
  readonly clock?: () => Date;
}

/** What nodes poll to follow a root rotation: the root that signs now, and every root to trust. */
export interface CAStatus {
  readonly rootCertPem: string;
  readonly rootsPem: string;
}

/** The cluster object and its CA. @throws OrchError(unavailable) before the cluster has a CA. */
export function clusterCA(store: ClusterStore): { cluster: Cluster; ca: ClusterCA } {
  const cluster = store.view((r) => r.clusters.all()[0]);
  if (!cluster?.ca) throw new OrchError('unavailable', 'this cluster has no certificate authority yet');
  return { cluster, ca: cluster.ca };
}

type Handler = (req: Json, call: ServerCall) => Promise<unknown>;

function unary(handler: Handler, log: Logger) {
  return (call: grpc.ServerUnaryCall<Json, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    const req = call.request;
    const run = req instanceof InvalidPayload ? Promise.reject(new OrchError('invalid', `request is not valid JSON: ${req.reason}`)) : handler(req, call);
    run.then(
      (res) => callback(null, res),
      (err) => {
        if (!(err instanceof OrchError)) log.error({ err: (err as Error).stack }, 'CA call failed');
        callback(toServiceError(err));
      },
    );
  };
}

/**
 * Adds `orch.CA` to a manager's cluster listener. Joining needs no certificate, only a valid join token
 * (the joiner has already pinned this CA by the token's digest); the new node is recorded in the store
 * before its certificate is returned. Renewal needs the node's current certificate and keeps its identity;
 * the new certificate carries the role the cluster gives the node now (promotion, demotion).
 */
export function registerCAService(server: ClusterServer, deps: CAServiceDeps): void {
  const clock = deps.clock ?? (() => new Date());
  const IssueNodeCertificate: Handler = async (req) => {
    const o = obj(req, 'request');
    const token = str(o.token, 'token', { nonEmpty: true });
    const csrPem = str(o.csrPem, 'csrPem', { nonEmpty: true });
    const addr = str(o.addr, 'addr', { nonEmpty: true });
    const hostname = str(o.hostname ?? '', 'hostname');
    const { cluster, ca } = clusterCA(deps.store);
    const role = deps.ca.roleForToken(ca, token);
    if (!role) throw new OrchError('unauthenticated', 'invalid join token: it is not a current token of this cluster (wrong, or rotated out)');
    const nodeId = newId();
    const now = clock();
    const certPem = deps.ca.issue(ca, { csrPem, nodeId, role, clusterId: cluster.id, now });
    await deps.store.update((tx) =>
      tx.nodes.create({
        id: nodeId,
        spec: { role, availability: 'active', labels: {} },
        description: { hostname, platform: { os: '', arch: '' }, resources: { nanoCpus: 0, memoryBytes: 0 }, engine: { version: '', labels: {} }, runtimes: [] },
        status: { state: 'unknown', message: 'joined; waiting for its first session', addr },
        tlsRoot: deps.ca.signingRoot(ca, certPem),
      }),
    );
    deps.log.info({ nodeId, role, addr }, 'node joined');
    return { nodeId, clusterId: cluster.id, role, certPem, rootsPem: deps.ca.trustBundle(ca) } satisfies IssuedCertificate;
  };

  const RenewNodeCertificate: Handler = async (req, call) => {
    const peer = server.authorize(call, ['worker', 'manager']);
    const csrPem = str(obj(req, 'request').csrPem, 'csrPem', { nonEmpty: true });
    const { ca } = clusterCA(deps.store);
    // The role is the one the cluster gives the node now: a promoted or demoted node renews into it.
    const role = deps.store.view((r) => r.nodes.get(peer.nodeId)?.spec.role) ?? peer.role;
    const certPem = deps.ca.issue(ca, { csrPem, nodeId: peer.nodeId, role, clusterId: peer.clusterId, now: clock() });
    await recordSigningRoot(deps.store, peer.nodeId, deps.ca.signingRoot(ca, certPem));
    return { ...peer, role, certPem, rootsPem: deps.ca.trustBundle(ca) } satisfies IssuedCertificate;
  };

  const Status: Handler = async (_req, call) => {
    server.authorize(call, ['worker', 'manager']);
    const { ca } = clusterCA(deps.store);
    return { rootCertPem: ca.rootCertPem, rootsPem: deps.ca.trustBundle(ca) } satisfies CAStatus;
  };

  server.addService(CA_SERVICE, {
    IssueNodeCertificate: unary(IssueNodeCertificate, deps.log),
    RenewNodeCertificate: unary(RenewNodeCertificate, deps.log),
    Status: unary(Status, deps.log),
  });
}

/**
 * Records which root signed a node's current certificate (a root rotation finishes when all are new).
 * Run again when it loses a race with another write to the node: it re-derives from what it reads.
 */
export async function recordSigningRoot(store: ClusterStore, nodeId: string, tlsRoot: string | undefined): Promise<void> {
  await updateRetrying(store, (tx) => {
    const n = tx.nodes.get(nodeId);
    if (n && n.tlsRoot !== tlsRoot) tx.nodes.update({ ...n, tlsRoot });
  });
}
