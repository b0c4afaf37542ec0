import * as grpc from '@grpc/grpc-js';
import { identityFromSubject, type PeerIdentity } from '../../../core/cluster/identity';
import type { CertifiedKey, KeyPairPem } from '../../../plugins/ca-forge';
import { CLUSTER, makeKeys, makeRoot, nodeCert } from './pki';

const passThrough = (b: Buffer): Buffer => b;
const WHO_AM_I = '/test.Identity/WhoAmI';
const definition: grpc.ServiceDefinition = {
  WhoAmI: {
    path: WHO_AM_I,
    requestStream: false,
    responseStream: false,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
    originalName: 'whoAmI',
  },
};

/** Starts a gRPC server requiring client certificates; its one method answers with the caller's identity. */
async function startServer(creds: { key: string; cert: string; ca: string }): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(definition, {
    WhoAmI: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const identity = identityFromSubject(call.getAuthContext().sslPeerCertificate?.subject);
      callback(null, Buffer.from(JSON.stringify(identity ?? null)));
    },
  });
  const serverCreds = grpc.ServerCredentials.createSsl(Buffer.from(creds.ca), [{ private_key: Buffer.from(creds.key), cert_chain: Buffer.from(creds.cert) }], true);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', serverCreds, (err, p) => (err ? reject(err) : resolve(p))));
  return { port, server };
}

function whoAmI(port: number, creds: { key: string; cert: string; ca: string }): Promise<PeerIdentity | null> {
  const channel = grpc.credentials.createSsl(Buffer.from(creds.ca), Buffer.from(creds.key), Buffer.from(creds.cert));
  const client = new grpc.Client(`127.0.0.1:${port}`, channel, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(WHO_AM_I, passThrough, passThrough, Buffer.alloc(0), { deadline: Date.now() + 5000 }, (err, reply) => {
      client.close();
      if (err) reject(err);
      else resolve(JSON.parse(reply!.toString()));
    });
  });
}

describe('node certificates over gRPC', () => {
  let root: CertifiedKey;
  let otherRoot: CertifiedKey;
  let keys: KeyPairPem[];
  let server: grpc.Server;
  let port: number;

  beforeAll(async () => {
    [root, otherRoot, keys] = await Promise.all([makeRoot(), makeRoot('cluster2'), makeKeys(2)]);
    ({ server, port } = await startServer({ ...nodeCert(root, keys[0], 'manager1', 'manager'), ca: root.certPem }));
  });
  afterAll(() => server.forceShutdown());

  it('gives the server the caller identity through getAuthContext().sslPeerCertificate', async () => {
    const worker = { ...nodeCert(root, keys[1], 'worker7', 'worker'), ca: root.certPem };
    expect(await whoAmI(port, worker)).toEqual({ nodeId: 'worker7', role: 'worker', clusterId: CLUSTER });
  });

  it('refuses a caller whose certificate comes from another root', async () => {
    const stranger = { ...nodeCert(otherRoot, keys[1], 'worker7', 'worker', { clusterId: 'cluster2' }), ca: root.certPem };
    await expect(whoAmI(port, stranger)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
  });
});
