import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ReplicaSource } from '../store/contract';
import type { ReplicatedLog } from '../store/replicated-log';
import { SharedReadState } from '../store/shared-read-state';
import type { ControlThreadData, FromControlThread, ToControlThread } from './control-thread-protocol';
import { LeaderReplica } from './leader-replica';
import { startControlServer, type ControlServer } from './server';
import { withSemiSpace } from '../util/worker-young-generation';

/** What a manager's control thread reads from. */
export interface ReplicaReads {
  /** The state the replica copies. */
  readonly source: ReplicaSource;
  /** The consensus member whose read lease lets the replica serve reads. */
  readonly consensus: Pick<ReplicatedLog, 'readBarrier' | 'status' | 'watchLeadership'> & Required<Pick<ReplicatedLog, 'watchReadLease'>>;
}

/**
 * Semi-space of the control thread's young generation (MB). Its replica keeps every object it applies, so
 * with the daemon's 32 MB its scavenges paused calls for up to 147 ms under load; with 4 MB, 43 ms.
 */
export const CONTROL_THREAD_SEMI_SPACE_MB = 4;

/** How long stopping waits for the control thread to finish the calls under way. */
const STOP_MS = 3000;

/**
 * Serves the control API on `paths.socket` from a thread of its own (control-thread.ts), fed a replica of
 * `reads.source` while this member leads (see LeaderReplica), so that reads are answered while this
 * thread is busy with consensus, scheduling and dispatching. Everything else passes on to
 * `implementation`, served here on `paths.upstream` (mode 0600). If the thread dies, it is logged and the
 * socket goes unanswered. `threadFile` is the compiled control thread (by default, beside this file).
 */
export async function startThreadedControlServer(
  paths: { readonly socket: string; readonly upstream: string },
  implementation: grpc.UntypedServiceImplementation,
  reads: ReplicaReads,
  log: Logger,
  threadFile = path.join(__dirname, 'control-thread.js'),
): Promise<ControlServer> {
  const upstream = await startControlServer(paths.upstream, implementation);
  const shared = new SharedReadState();
  const workerData: ControlThreadData = { socket: paths.socket, upstream: paths.upstream, shared: shared.buffer };
  const worker = withSemiSpace(CONTROL_THREAD_SEMI_SPACE_MB, () => new Worker(threadFile, { workerData }));
  const send = (m: ToControlThread, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopped: () => void = () => {};
  const listening = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FromControlThread) => {
      if (m.kind === 'listening') {
        if (m.priority !== undefined) log.info({ reason: m.priority }, 'the control thread runs at the priority of the process');
        resolve();
      }
      else if (m.kind === 'failed') reject(new Error(`control thread: ${m.message}`));
      else if (m.kind === 'renew') reads.consensus.readBarrier().then(renewed, renewed);
      else if (m.kind === 'error') log.error({ method: m.method, err: m.stack }, 'control call failed');
      else stopped();
    });
    worker.once('error', (err) => {
      log.error({ err: err.stack }, 'control thread failed');
      reject(err);
    });
    void exited.then(() => reject(new Error('control thread exited')));
  });
  const renewed = () => send({ kind: 'renewed' });
  try {
    await listening;
  } catch (err) {
    await worker.terminate();
    await upstream.stop();
    throw err;
  }
  const replica = new LeaderReplica(reads.source, send, (index) => shared.setApplied(index), log);
  const unwatch = [reads.consensus.watchReadLease((until) => shared.setLease(until)), reads.consensus.watchLeadership((s) => replica.follow(s.isLeader))];
  replica.follow(reads.consensus.status().isLeader);
  return {
    async stop() {
      for (const u of unwatch) u();
      replica.follow(false);
      await replica.settled();
      let timer: NodeJS.Timeout | undefined;
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
        timer = setTimeout(resolve, STOP_MS);
      });
      send({ kind: 'stop' });
      await done;
      clearTimeout(timer);
      await worker.terminate();
      await upstream.stop();
    },
  };
}
