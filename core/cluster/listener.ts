import * as grpc from '@grpc/grpc-js';
import { OrchError } from '../errors';
import { MutableCertificateProvider } from './certificate-provider';
import type { ClusterServer, ServerCall } from './contract';
import type { NodeCredentials } from './credentials';
import type { PeerIdentity, PeerRole } from './identity';
import { PeerCertificates } from './peer-certificates';
import { parseBundle } from './peer-verify';
import { VerifiedPeers } from './verified-peers';

export interface ClusterListenerOptions {
  /** `host:port` to bind. */
  readonly listenAddr: string;
  readonly credentials: NodeCredentials;
  readonly clusterId: string;
  /** False for a node the cluster no longer has (removed): its certificate is refused. */
  isMember(nodeId: string): boolean;
  readonly clock?: () => Date;
}

/**
 * The node's cluster listener: gRPC over TLS only — there is no plaintext mode. Client certificates
 * are requested but not required at the handshake, so a joining node (which has none yet) can reach
 * the join call; every other call is checked by `authorize` against the cluster's roots.
 */
export class ClusterListener implements ClusterServer {
  private readonly server = new grpc.Server();
  private readonly provider: MutableCertificateProvider;
  private readonly peers: VerifiedPeers;
  private readonly certificates = new PeerCertificates();
  private readonly clock: () => Date;

  constructor(private readonly options: ClusterListenerOptions) {
    this.provider = new MutableCertificateProvider(options.credentials);
    this.peers = new VerifiedPeers(parseBundle(options.credentials.rootsPem));
    this.clock = options.clock ?? (() => new Date());
  }

  addService(definition: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
    this.server.addService(definition, implementation);
  }

  authorize(call: ServerCall, roles: readonly PeerRole[]): PeerIdentity {
    const peer = this.certificates.of(call);
    if (!peer?.raw) throw new OrchError('unauthenticated', 'this call needs a node certificate of this cluster');
    const result = this.peers.verify(peer, this.clock());
    if ('refused' in result) throw new OrchError('unauthenticated', result.refused);
    if (result.clusterId !== this.options.clusterId) throw new OrchError('unauthenticated', 'the client certificate belongs to another cluster');
    if (!this.options.isMember(result.nodeId)) throw new OrchError('permission-denied', `node ${result.nodeId} has been removed from the cluster`);
    if (!roles.includes(result.role)) throw new OrchError('permission-denied', `a ${result.role} node may not make this call (it needs ${roles.join(' or ')})`);
    return result;
  }

  /** Binds the listen address; resolves with the bound port. */
  start(): Promise<number> {
    const creds = grpc.experimental.createCertificateProviderServerCredentials(this.provider, this.provider, false);
    return new Promise((resolve, reject) =>
      this.server.bindAsync(this.options.listenAddr, creds, (err, port) => (err ? reject(new OrchError('unavailable', `cannot listen on ${this.options.listenAddr}: ${err.message}`)) : resolve(port))),
    );
  }

  /** Serves with new credentials (renewed certificate, rotated roots) from now on. */
  updateCredentials(credentials: NodeCredentials): void {
    this.provider.update(credentials);
    this.peers.reset(parseBundle(credentials.rootsPem));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      const force = setTimeout(() => this.server.forceShutdown(), 2000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}
