import type { PeerCertificate } from 'node:tls';
import type { ServerCall } from './contract';

/** grpc-js's server call objects, as far as this reads them: the call wraps interceptors over an HTTP/2 stream. */
interface CallLayer {
  readonly call?: CallLayer;
  readonly nextCall?: CallLayer;
  readonly stream?: { readonly session?: { readonly socket?: object } };
}

/** Layers of call wrappers looked through before giving up. */
const MAX_LAYERS = 4;

/**
 * The connection under a gRPC server call, found through grpc-js's internal objects; undefined when they
 * are not shaped as expected (another grpc-js version, a test double).
 */
function connectionOf(call: ServerCall): object | undefined {
  let layer = (call as CallLayer).call;
  for (let i = 0; i < MAX_LAYERS && layer; i++) {
    const socket = layer.stream?.session?.socket;
    if (socket) return socket;
    layer = layer.nextCall;
  }
  return undefined;
}

/**
 * The client certificates of calls, read once per connection: Node builds a new object with every field of
 * the certificate on each read, which cost a tenth of a busy leader's CPU with a thousand nodes calling
 * every second. A connection's peer certificate cannot change (HTTP/2 forbids TLS renegotiation).
 */
export class PeerCertificates {
  private readonly byConnection = new WeakMap<object, PeerCertificate>();

  /** The certificate the caller presented and the handshake verified, if any. */
  of(call: ServerCall): PeerCertificate | undefined {
    const connection = connectionOf(call);
    const known = connection && this.byConnection.get(connection);
    if (known) return known;
    const peer = call.getAuthContext().sslPeerCertificate;
    if (connection && peer?.raw) this.byConnection.set(connection, peer);
    return peer;
  }
}
