import * as grpc from '@grpc/grpc-js';
import { sessionOf } from '../../../core/cluster/call-session';
import { CONNECTION_WINDOW_BYTES, STREAM_WINDOW_BYTES, widenFlowControl } from '../../../core/cluster/flow-control';

const definition: grpc.ServiceDefinition = {
  Probe: {
    path: '/test.Flow/Probe',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (v: unknown) => Buffer.from(JSON.stringify(v)),
    responseDeserialize: (b: Buffer) => JSON.parse(b.toString()),
  },
};

describe('widenFlowControl', () => {
  it("widens the windows of the call's connection, once, as grpc-js's internals stand", async () => {
    const server = new grpc.Server();
    server.addService(definition, {
      Probe: (call: grpc.ServerUnaryCall<Buffer, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const before = sessionOf(call)?.state.localWindowSize;
        const widened = [widenFlowControl(call), widenFlowControl(call)];
        const session = sessionOf(call)!;
        callback(null, { before, widened, after: session.state.localWindowSize, streamWindow: session.localSettings.initialWindowSize });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const Client = grpc.makeGenericClientConstructor(definition, 'Flow');
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const probe = () =>
        new Promise<{ before: number; widened: boolean[]; after: number; streamWindow: number }>((resolve, reject) =>
          (client as unknown as Record<string, Function>).Probe(Buffer.alloc(1), (err: Error | null, v: never) => (err ? reject(err) : resolve(v))),
        );
      const first = await probe();
      expect(first.before).toBeLessThan(CONNECTION_WINDOW_BYTES);
      expect(first.widened).toEqual([true, true]);
      expect(first.after).toBeGreaterThanOrEqual(CONNECTION_WINDOW_BYTES - 1024 * 1024);
      // The stream window is a setting the peer acknowledges; by the next call on the connection it holds.
      const second = await probe();
      expect(second.streamWindow).toBe(STREAM_WINDOW_BYTES);
      expect(second.before).toBeGreaterThanOrEqual(CONNECTION_WINDOW_BYTES - 1024 * 1024);
    } finally {
      client.close();
      server.forceShutdown();
    }
  });

  it('says so when a call has no connection it can find', () => {
    expect(widenFlowControl({} as never)).toBe(false);
  });
});
