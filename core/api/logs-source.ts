import { NotLeaderError } from '../errors';
import type { LogBroker } from '../logs/broker';
import { streamServiceLogs, type ServiceLogsQuery, type ServiceLogsSink } from '../logs/service-logs';
import type { ClusterStore } from '../store/contract';
import { ControlClients } from './control-clients';
import { knownLeader, type ForwardingDeps } from './forwarding';

/**
 * Streams the logs `query` asks for into `sink` until the stream ends or `signal` aborts. Rejects (before
 * anything is written) when the call cannot be served.
 */
export type OpenServiceLogs = (query: ServiceLogsQuery, sink: ServiceLogsSink, signal: AbortSignal) => Promise<void>;

/** Runs `fn` once `signal` aborts (at once if it has). */
function onAbort(signal: AbortSignal, fn: () => void): void {
  if (signal.aborted) fn();
  else signal.addEventListener('abort', fn, { once: true });
}

/** Serves `ServiceLogs` from this manager's broker: what the leader does. */
export function localServiceLogs(store: ClusterStore, broker: LogBroker): OpenServiceLogs {
  return async (query, sink, signal) => onAbort(signal, streamServiceLogs(store, broker, query, sink));
}

/**
 * Serves `ServiceLogs` where the logs are: from `local` on the leader; a follower relays the call to the
 * leader over mutual TLS (logs reach only the leader's broker). `close` closes the relay's connections.
 */
export function forwardLogsToLeader(local: OpenServiceLogs, deps: Pick<ForwardingDeps, 'consensus' | 'dialer'>): { open: OpenServiceLogs; close(): void } {
  const clients = new ControlClients(deps.dialer);
  return {
    open: async (query, sink, signal) => {
      const status = await knownLeader(deps.consensus);
      if (status.isLeader) return local(query, sink, signal);
      if (!status.leaderAddr) throw new NotLeaderError(undefined);
      onAbort(signal, clients.get(status.leaderAddr).serviceLogs(query, (m) => sink.write(m), (err) => sink.end(err)));
    },
    close: () => clients.close(),
  };
}
