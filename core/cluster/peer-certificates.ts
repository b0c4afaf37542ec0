import type { PeerCertificate } from 'node:tls';
import { sessionOf } from './call-session';
import type { ServerCall } from './contract';

/**
 * The client certificates of calls, read once per connection: Node builds a new object with every field of
 * the certificate on each read, which cost a tenth of a busy leader's CPU with a thousand nodes calling
 * every second. A connection's peer certificate cannot change (HTTP/2 forbids TLS renegotiation).
 */
export class PeerCertificates {
  private readonly byConnection = new WeakMap<object, PeerCertificate>();

  /** The certificate the caller presented and the handshake verified, if any. */
  of(call: ServerCall): PeerCertificate | undefined {
    const connection = sessionOf(call)?.socket;
    const known = connection && this.byConnection.get(connection);
    if (known) return known;
    const peer = call.getAuthContext().sslPeerCertificate;
    if (connection && peer?.raw) this.byConnection.set(connection, peer);
    return peer;
  }
}
