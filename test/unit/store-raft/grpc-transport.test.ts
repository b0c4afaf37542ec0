import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import type { ClusterServer } from '../../../core/cluster/contract';
import { GrpcTransport, serveRaft } from '../../../plugins/store-raft/grpc-transport';
import type { Message } from '../../../plugins/store-raft/messages';
import { waitFor } from './wait-for';

/**
 * The transport over a plain-text gRPC server on loopback: what is under test is how messages are laid on
 * streams, not the cluster's TLS (the daemon tests cover that); the server takes every caller as `m1`.
 */
async function receiverOnLoopback(received: Message[]): Promise<{ addr: string; close(): void }> {
  const server = new grpc.Server();
  const cluster: ClusterServer = {
    addService: (definition, implementation) => server.addService(definition, implementation),
    authorize: () => ({ nodeId: 'm1', role: 'manager', clusterId: 'c1' }),
  };
  serveRaft(cluster, { receive: (m) => received.push(m) }, pino({ level: 'silent' }));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { addr: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
}

const envelope = { from: 'm1', to: 'm2', term: 3 };

describe('GrpcTransport', () => {
  it('delivers a heartbeat sent after megabytes of entries without waiting for them to arrive', async () => {
    const received: Message[] = [];
    const receiver = await receiverOnLoopback(received);
    const transport = new GrpcTransport({ managerCredentials: () => grpc.credentials.createInsecure() }, (id) => (id === 'm2' ? receiver.addr : undefined));
    try {
      // Open both streams first, so that neither waits for a connection.
      transport.send([{ ...envelope, type: 'heartbeat', commit: 0, read: 0 }, { ...envelope, type: 'append', prevLogIndex: 0, prevLogTerm: 0, commit: 0, entries: [] }]);
      await waitFor(() => received.length === 2, 5000);
      const data = new Uint8Array(1024 * 1024).fill(97);
      const appends: Message[] = Array.from({ length: 32 }, (_, i) => ({ ...envelope, type: 'append', prevLogIndex: i, prevLogTerm: 3, commit: 0, entries: [{ index: i + 1, term: 3, kind: 'data', data }] }));
      transport.send([...appends, { ...envelope, type: 'heartbeat', commit: 0, read: 1 }]);
      await waitFor(() => received.length === 2 + appends.length + 1, 30_000);
      const order = received.slice(2).map((m) => m.type);
      // Sent last, but not queued behind the 32 MiB of entries sent before it.
      expect(order.indexOf('heartbeat')).toBeLessThan(appends.length);
      // Entries arrive in order, all of them.
      const indexes = received.slice(2).flatMap((m) => (m.type === 'append' ? [m.prevLogIndex] : []));
      expect(indexes).toEqual(appends.map((_, i) => i));
    } finally {
      transport.close();
      receiver.close();
    }
  }, 40_000);
});
