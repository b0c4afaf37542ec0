import type { ClientHttp2Session, ServerHttp2Session } from 'node:http2';
import type { ServerCall } from './contract';

/** grpc-js's server call objects, as far as this reads them: the call wraps interceptors over an HTTP/2 stream. */
interface CallLayer {
  readonly call?: CallLayer;
  readonly nextCall?: CallLayer;
  readonly stream?: { readonly session?: ServerHttp2Session | ClientHttp2Session };
}

/** Layers of call wrappers looked through before giving up. */
const MAX_LAYERS = 4;

/**
 * The HTTP/2 session (one connection) under a gRPC server call, found through grpc-js's internal objects;
 * undefined when they are not shaped as expected (another grpc-js version, a test double).
 */
export function sessionOf(call: ServerCall): ServerHttp2Session | ClientHttp2Session | undefined {
  let layer = (call as CallLayer).call;
  for (let i = 0; i < MAX_LAYERS && layer; i++) {
    const session = layer.stream?.session;
    if (session?.socket) return session;
    layer = layer.nextCall;
  }
  return undefined;
}
