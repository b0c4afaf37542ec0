import type * as grpc from '@grpc/grpc-js';
import type { PeerIdentity, PeerRole } from './identity';

/** What `authorize` needs of a server call (unary or streaming). */
export type ServerCall = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext' | 'getPeer' | 'metadata'>;

/**
 * The node's cluster listener (gRPC over TLS on the listen address). Services add themselves; every
 * call that is not part of joining must be authorized with `authorize`.
 */
export interface ClusterServer {
  addService(definition: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void;
  /**
   * The caller's identity from its client certificate, checked against the cluster: right cluster id,
   * one of `roles`, and a node the cluster still has (a removed node's certificate stops working).
   * @throws an error carrying gRPC status UNAUTHENTICATED (no or foreign certificate) or
   * PERMISSION_DENIED (wrong role, removed node), for the handler to return as is.
   */
  authorize(call: ServerCall, roles: readonly PeerRole[]): PeerIdentity;
}

/** How this node dials other nodes: mutual TLS with its own certificate, trusting the cluster's roots. */
export interface ClusterDialer {
  /** Credentials for a channel to a manager; the server must present a manager certificate of this cluster. */
  managerCredentials(): grpc.ChannelCredentials;
}
