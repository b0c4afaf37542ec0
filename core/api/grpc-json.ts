import * as grpc from '@grpc/grpc-js';
import { NotLeaderError, OrchError, type ErrorCode } from '../errors';
import type { Json } from '../model/check';
import { CONTROL_METHODS } from './contract';

/**
 * gRPC with JSON messages: the control API needs no .proto files, and every payload is validated by
 * the handler anyway. A payload that is not JSON deserializes to an `InvalidPayload` marker, so the
 * handler can answer INVALID_ARGUMENT instead of the transport failing opaquely.
 */
export class InvalidPayload {
  constructor(readonly reason: string) {}
}

/** A message as JSON bytes. */
export const serialize = (v: unknown): Buffer => Buffer.from(JSON.stringify(v ?? {}));
/** JSON bytes as a message, or an InvalidPayload saying why they are not JSON. */
export const deserialize = (b: Buffer): unknown => {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch (err) {
    return new InvalidPayload((err as Error).message);
  }
};

function method(service: string, name: string, responseStream: boolean): grpc.MethodDefinition<unknown, unknown> {
  return {
    path: `/${service}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: serialize,
    requestDeserialize: deserialize,
    responseSerialize: serialize,
    responseDeserialize: deserialize,
  };
}

/**
 * A gRPC service definition with JSON messages.
 * @param service full service name, e.g. `orch.Dispatcher`.
 * @param unary names of its unary methods; `serverStreams`: its server-streaming methods.
 */
export function jsonServiceDefinition(service: string, unary: readonly string[], serverStreams: readonly string[] = []): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of unary) def[m] = method(service, m, false);
  for (const m of serverStreams) def[m] = method(service, m, true);
  return def;
}

/** Service definition of `orch.Control`: every unary control method plus the `Watch`, `Events` and `ServiceLogs` streams. */
export function controlServiceDefinition(): grpc.ServiceDefinition {
  return jsonServiceDefinition('orch.Control', CONTROL_METHODS, ['Watch', 'Events', 'ServiceLogs']);
}

/** A decoded request, for its handler to check. @throws OrchError(invalid) when the payload was not JSON. */
export function requestJson(request: unknown): Json {
  if (request instanceof InvalidPayload) throw new OrchError('invalid', `request is not valid JSON: ${request.reason}`);
  return request as Json;
}

const asIs = (b: Buffer): Buffer => b;

/**
 * `orch.Control` with every message left as bytes: for a server that passes calls on without reading
 * them (see controlProxy).
 */
export function rawControlServiceDefinition(): grpc.ServiceDefinition {
  return Object.fromEntries(
    Object.entries(controlServiceDefinition()).map(([name, m]) => [
      name,
      { ...m, requestSerialize: asIs, requestDeserialize: asIs, responseSerialize: asIs, responseDeserialize: asIs },
    ]),
  );
}

const TO_GRPC: Record<ErrorCode, grpc.status> = {
  invalid: grpc.status.INVALID_ARGUMENT,
  'not-found': grpc.status.NOT_FOUND,
  conflict: grpc.status.ABORTED,
  unavailable: grpc.status.UNAVAILABLE,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  'permission-denied': grpc.status.PERMISSION_DENIED,
  internal: grpc.status.INTERNAL,
};

/** Turns any thrown value into a gRPC error that keeps the OrchError code and field. */
export function toServiceError(err: unknown): Partial<grpc.ServiceError> {
  const metadata = new grpc.Metadata();
  if (err instanceof OrchError) {
    metadata.set('orch-code', err.code);
    if (err.field) metadata.set('orch-field', err.field);
    if (err instanceof NotLeaderError) metadata.set('orch-not-leader', err.leaderAddr ?? '');
    return { code: TO_GRPC[err.code], details: err.message, metadata };
  }
  metadata.set('orch-code', 'internal');
  return { code: grpc.status.INTERNAL, details: (err as Error)?.message ?? String(err), metadata };
}

/** Turns a gRPC error from a call back into an OrchError (a NotLeaderError when the server said so). */
export function fromServiceError(err: grpc.ServiceError): OrchError {
  const notLeader = err.metadata?.get('orch-not-leader')[0] as string | undefined;
  if (notLeader !== undefined) return new NotLeaderError(notLeader || undefined);
  const code = (err.metadata?.get('orch-code')[0] as ErrorCode | undefined) ?? (err.code === grpc.status.UNAVAILABLE ? 'unavailable' : 'internal');
  const field = err.metadata?.get('orch-field')[0] as string | undefined;
  return new OrchError(code, err.details || err.message, field);
}
