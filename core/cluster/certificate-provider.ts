import type { experimental } from '@grpc/grpc-js';
import type { NodeCredentials } from './credentials';

type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

/** The chain a node presents: its certificate, then the roots, so a joining node can pin the root. */
function presentedChain(c: NodeCredentials): Buffer {
  return Buffer.from(`${c.certPem.trimEnd()}\n${c.rootsPem}`);
}

/**
 * Hands a TLS server its certificate and trusted roots, and hands it new ones when they change
 * (renewal, root rotation) without restarting the listener.
 */
export class MutableCertificateProvider implements experimental.CertificateProvider {
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();
  private ca: experimental.CaCertificateUpdate;
  private identity: experimental.IdentityCertificateUpdate;

  constructor(credentials: NodeCredentials) {
    this.ca = { caCertificate: Buffer.from(credentials.rootsPem) };
    this.identity = { certificate: presentedChain(credentials), privateKey: Buffer.from(credentials.keyPem) };
  }

  /** Replaces the certificate, key and roots; servers pick them up for new connections. */
  update(credentials: NodeCredentials): void {
    this.ca = { caCertificate: Buffer.from(credentials.rootsPem) };
    this.identity = { certificate: presentedChain(credentials), privateKey: Buffer.from(credentials.keyPem) };
    for (const l of this.caListeners) l(this.ca);
    for (const l of this.identityListeners) l(this.identity);
  }

  // First deliveries are deferred: grpc-js adds these listeners before the server's own watcher, so an
  // update delivered synchronously would reach nobody and the server would never get a certificate.
  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    setImmediate(() => this.caListeners.has(listener) && listener(this.ca));
  }
  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }
  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    setImmediate(() => this.identityListeners.has(listener) && listener(this.identity));
  }
  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }
}
