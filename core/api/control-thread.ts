/**
 * The control thread (a worker thread of a manager daemon): serves the control socket so that reads do
 * not queue behind the work of the thread that runs consensus. `service ls`, `service inspect` and
 * `service ps` are answered from a ReadReplica of the store, under the leader's read lease; every other
 * call, and those reads when there is no lease, pass on to the main thread's own control socket.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import type { Json } from '../model/check';
import { ReadReplica } from '../store/read-replica';
import { SharedReadState } from '../store/shared-read-state';
import { setThreadNice } from '../util/thread-priority';
import type { ControlThreadData, FromControlThread, ToControlThread } from './control-thread-protocol';
import { controlProxy } from './control-proxy';
import { deserialize, rawControlServiceDefinition, requestJson, serialize } from './grpc-json';
import { replicaReadBarrier } from './replica-reads';
import { answerUnary, listenOwnerOnly } from './server';
import { serviceReadHandlers } from './service-handlers';
import { taskHandlers } from './task-handlers';

/**
 * The thread's nice value: ahead of the main thread (nice 0), which may keep every core busy while it
 * schedules and replicates. The thread's own work (applying the replica, answering a read) is short, so it
 * takes little from the main thread, and a read is not left waiting for a time slice.
 */
const CONTROL_THREAD_NICE = -10;

const priority = setThreadNice(CONTROL_THREAD_NICE);
const data = workerData as ControlThreadData;
const port = parentPort!;
const tell = (m: FromControlThread) => port.postMessage(m);

const replica = new ReadReplica();
const shared = new SharedReadState(data.shared);
let renewing = false;
const renew = () => {
  if (renewing) return;
  renewing = true;
  tell({ kind: 'renew' });
};

const proxy = controlProxy(`unix:${data.upstream}`);
const implementation = { ...proxy.implementation };
for (const [method, handler] of Object.entries({ ...serviceReadHandlers(replica), ...taskHandlers(replica) })) {
  const passOn = proxy.implementation[method] as grpc.handleUnaryCall<Buffer, Buffer>;
  implementation[method] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
    const barrier = replicaReadBarrier({ replica, shared, renew });
    if (!barrier) return passOn(call, callback);
    answerUnary(
      async () => {
        await barrier;
        return serialize(await (handler as (req: Json) => Promise<unknown>)(requestJson(deserialize(call.request))));
      },
      callback,
      (err) => tell({ kind: 'error', method, stack: err.stack ?? String(err) }),
    );
  };
}

const server = new grpc.Server();
server.addService(rawControlServiceDefinition(), implementation);

port.on('message', (m: ToControlThread) => {
  if (m.kind === 'renewed') renewing = false;
  else if (m.kind === 'stop') stop();
  else replica.receive(m);
});

listenOwnerOnly(server, data.socket).then(
  () => tell({ kind: 'listening', ...(priority !== undefined && { priority }) }),
  (err: Error) => tell({ kind: 'failed', message: err.message }),
);

function stop(): void {
  const force = setTimeout(() => server.forceShutdown(), 2000);
  server.tryShutdown(() => {
    clearTimeout(force);
    proxy.close();
    tell({ kind: 'stopped' });
  });
}
