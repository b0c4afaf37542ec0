import * as grpc from '@grpc/grpc-js';
import { rawControlServiceDefinition } from './grpc-json';

/** A control API server implementation that passes calls on, and the client it passes them through. */
export interface ControlProxy {
  /** Serves rawControlServiceDefinition(). */
  readonly implementation: grpc.UntypedServiceImplementation;
  close(): void;
}

/**
 * Passes every control call, bytes and deadline as they are, to the control API at `target` (e.g.
 * `unix:/path`), and its answer, stream or error back: unary calls and server streams alike.
 */
export function controlProxy(target: string): ControlProxy {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(rawControlServiceDefinition())) {
    implementation[name] = m.responseStream
      ? (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
          const upstream = client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, call.request, { deadline: call.getDeadline() });
          upstream.on('data', (chunk: Buffer) => call.write(chunk));
          upstream.on('end', () => call.end());
          upstream.on('error', (err: grpc.ServiceError) => {
            if (!call.cancelled) call.emit('error', err);
          });
          call.on('cancelled', () => upstream.cancel());
        }
      : (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, call.request, { deadline: call.getDeadline() }, (err, res) =>
            err ? callback(err) : callback(null, res),
          );
        };
  }
  return { implementation, close: () => client.close() };
}
