import type * as grpc from '@grpc/grpc-js';
import { OrchError } from '../errors';
import type { ServiceLogsSink } from '../logs/service-logs';
import type { Json } from '../model/check';
import type { ServiceLogsMessage } from './contract';
import { requestJson, toServiceError } from './grpc-json';
import { parseServiceLogsRequest } from './logs-request';
import type { OpenServiceLogs } from './logs-source';
import type { CallGate } from './server';

/** A server-side `ServiceLogs` call. */
export type ServiceLogsCall = grpc.ServerWritableStream<Json, ServiceLogsMessage>;

/**
 * The `ServiceLogs` method of `orch.Control`: gates the caller, checks the request, and streams what
 * `open` delivers until it ends or the caller cancels. Without `open` (a worker) it refuses.
 */
export function serviceLogsMethod(open: OpenServiceLogs | undefined, gate: CallGate): (call: ServiceLogsCall) => void {
  return (call) => {
    const abort = new AbortController();
    let ended = false;
    const sink: ServiceLogsSink = {
      write: (m) => {
        if (!ended) call.write(m);
      },
      end: (err) => {
        if (ended) return;
        ended = true;
        if (err === undefined) call.end();
        else call.emit('error', toServiceError(err));
      },
    };
    call.on('cancelled', () => {
      ended = true;
      abort.abort();
    });
    const start = async () => {
      gate(call);
      if (!open) throw new OrchError('unavailable', 'this node is not a swarm manager: worker nodes cannot stream service logs; run this on a manager');
      await open(parseServiceLogsRequest(requestJson(call.request)), sink, abort.signal);
    };
    start().catch((err: unknown) => sink.end(err instanceof OrchError ? err : new OrchError('internal', (err as Error).message)));
  };
}
