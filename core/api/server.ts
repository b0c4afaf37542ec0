import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { OrchError } from '../errors';
import { arr, int, obj, oneOf, opt, type Json } from '../model/check';
import type { ClusterStore, TableName } from '../store/contract';
import type { EventStore } from '../events/store-events';
import { TABLE_NAMES } from '../store/contract';
import type { ControlMethod, WatchMessage } from './contract';
import { controlServiceDefinition, InvalidPayload, requestJson, toServiceError } from './grpc-json';
import { eventsMethod } from './events-stream';
import { serviceLogsMethod } from './logs-method';
import type { OpenServiceLogs } from './logs-source';
import { redactEvent } from './redact';

/** One handler per control method; each validates its own request. */
export type ControlHandlers = Record<ControlMethod, (req: Json) => Promise<unknown>>;

/** A running control API listener. */
export interface ControlServer {
  stop(): Promise<void>;
}

/** Checks a caller before any control call runs; throws to refuse (e.g. a worker's certificate). */
export type CallGate = (call: grpc.ServerUnaryCall<Json, unknown> | grpc.ServerWritableStream<Json, unknown>) => void;

/**
 * The `orch.Control` implementation over a set of handlers: decodes, gates, runs, and maps errors
 * (an OrchError keeps its code and field; anything else is logged and reported as internal). The `Watch`
 * and `Events` streams are served from `store` (see eventsMethod); `ServiceLogs` from `logs` (a manager's;
 * refused without).
 */
export function controlImplementation(handlers: ControlHandlers, store: EventStore, log: Logger, gate: CallGate = () => {}, logs?: OpenServiceLogs): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(handlers)) {
    impl[method] = (call: grpc.ServerUnaryCall<Json, unknown>, callback: grpc.sendUnaryData<unknown>) =>
      answerUnary(
        async () => {
          gate(call);
          return handler(requestJson(call.request));
        },
        callback,
        (err) => log.error({ method, err: err.stack }, 'control call failed'),
      );
  }
  impl.Watch = (call: grpc.ServerWritableStream<Json, WatchMessage>) => {
    try {
      gate(call);
    } catch (err) {
      call.emit('error', toServiceError(err));
      return;
    }
    watch(call, store);
  };
  impl.Events = eventsMethod(store, handlers, gate);
  impl.ServiceLogs = serviceLogsMethod(logs, gate);
  return impl;
}

/**
 * Answers a unary call with what `run` resolves to, or with its error as a gRPC error that keeps an
 * OrchError's code and field; any other error goes to `unexpected` first (for the log) and is reported as
 * internal.
 */
export function answerUnary<R>(run: () => Promise<R>, callback: grpc.sendUnaryData<R>, unexpected: (err: Error) => void): void {
  run().then(
    (res) => callback(null, res),
    (err) => {
      if (!(err instanceof OrchError)) unexpected(err as Error);
      callback(toServiceError(err));
    },
  );
}

/**
 * Serves the control API on a unix socket readable and writable by its owner only (0600).
 * A stale socket file left by a killed daemon is replaced.
 */
export async function startControlServer(socketPath: string, implementation: grpc.UntypedServiceImplementation): Promise<ControlServer> {
  const server = new grpc.Server();
  server.addService(controlServiceDefinition(), implementation);
  await listenOwnerOnly(server, socketPath);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/** Binds `server` to a unix socket at `socketPath` that only its owner may use (0600), replacing a stale one. */
export async function listenOwnerOnly(server: grpc.Server, socketPath: string): Promise<void> {
  fs.rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  fs.chmodSync(socketPath, 0o600);
}

function watch(call: grpc.ServerWritableStream<Json, WatchMessage>, store: Pick<ClusterStore, 'watch'>): void {
  let tables: readonly TableName[];
  let fromVersion: number | undefined;
  try {
    const req = obj(call.request instanceof InvalidPayload ? undefined : call.request, 'request');
    tables = opt(req.tables, 'tables', (x, f) => arr(x, f, (t, ft) => oneOf(t, ft, TABLE_NAMES))) ?? TABLE_NAMES;
    fromVersion = opt(req.fromVersion, 'fromVersion', (x, f) => int(x, f, 0));
  } catch (err) {
    call.emit('error', toServiceError(err));
    return;
  }
  let unwatch: () => void = () => {};
  try {
    unwatch = store.watch((events) => {
      const mine = events.filter((e) => tables.includes(e.table));
      if (mine.length > 0) call.write({ version: mine[0].version, events: mine.map(redactEvent) });
    }, fromVersion);
  } catch (err) {
    call.emit('error', toServiceError(new OrchError('invalid', (err as Error).message, 'fromVersion')));
    return;
  }
  call.on('cancelled', unwatch);
  call.on('close', unwatch);
}
