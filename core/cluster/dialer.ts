import * as grpc from '@grpc/grpc-js';
import type { ClusterDialer } from './contract';
import type { NodeCredentials } from './credentials';
import { identityFromSubject, type PeerRole } from './identity';

/**
 * TLS options that accept a server only if it presents a node certificate of `clusterId` with one of
 * `roles` (chain validation against the trusted roots is done by TLS itself). Host names are not
 * checked: nodes are addressed by IP and identified by their certificates.
 */
export function serverIdentityCheck(clusterId: string | undefined, roles: readonly PeerRole[]): grpc.VerifyOptions {
  return {
    checkServerIdentity: (_host, cert) => {
      const id = identityFromSubject(cert.subject);
      if (!id || !roles.includes(id.role)) return new Error(`the server's certificate is not a ${roles.join(' or ')} certificate`);
      if (clusterId !== undefined && id.clusterId !== clusterId) return new Error('the server belongs to another cluster');
      return undefined;
    },
  };
}

/** Dials managers with mutual TLS, using the node's current credentials (re-read on every dial). */
export class TlsDialer implements ClusterDialer {
  constructor(
    private readonly credentials: () => NodeCredentials,
    private readonly clusterId: string,
  ) {}

  managerCredentials(): grpc.ChannelCredentials {
    const c = this.credentials();
    return grpc.credentials.createSsl(Buffer.from(c.rootsPem), Buffer.from(c.keyPem), Buffer.from(c.certPem), serverIdentityCheck(this.clusterId, ['manager']));
  }
}
