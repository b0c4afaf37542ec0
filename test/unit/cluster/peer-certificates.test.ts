import * as grpc from '@grpc/grpc-js';
import { MutableCertificateProvider } from '../../../core/cluster/certificate-provider';
import { identityFromSubject } from '../../../core/cluster/identity';
import { PeerCertificates } from '../../../core/cluster/peer-certificates';
import type { CertifiedKey, KeyPairPem } from '../../../plugins/ca-forge';
import { makeKeys, makeRoot, nodeCert } from '../ca-forge/pki';

const passThrough = (b: Buffer): Buffer => b;
const WHO = '/test.Peers/Who';
const definition: grpc.ServiceDefinition = {
  Who: { path: WHO, requestStream: false, responseStream: false, requestSerialize: passThrough, requestDeserialize: passThrough, responseSerialize: passThrough, responseDeserialize: passThrough, originalName: 'who' },
};
type Creds = { key: string; cert: string; ca: string };

describe('PeerCertificates over real gRPC and TLS', () => {
  let root: CertifiedKey;
  let keys: KeyPairPem[];
  let server: grpc.Server;
  let port: number;
  const certificates = new PeerCertificates();
  let reads = 0;

  beforeAll(async () => {
    [root, keys] = await Promise.all([makeRoot(), makeKeys(3)]);
    const own = nodeCert(root, keys[0], 'manager1', 'manager');
    server = new grpc.Server();
    server.addService(definition, {
      Who: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const read = call.getAuthContext.bind(call);
        call.getAuthContext = () => {
          reads++;
          return read();
        };
        callback(null, Buffer.from(identityFromSubject(certificates.of(call)?.subject)?.nodeId ?? 'nobody'));
      },
    });
    // As the cluster listener serves: client certificates asked for, not required (a joining node has none).
    const provider = new MutableCertificateProvider({ keyPem: own.key, certPem: own.cert, rootsPem: root.certPem });
    const creds = grpc.experimental.createCertificateProviderServerCredentials(provider, provider, false);
    port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))));
  });
  afterAll(() => server.forceShutdown());

  function client(creds: Creds | { ca: string }): grpc.Client {
    const channel = 'key' in creds ? grpc.credentials.createSsl(Buffer.from(creds.ca), Buffer.from(creds.key), Buffer.from(creds.cert)) : grpc.credentials.createSsl(Buffer.from(creds.ca));
    return new grpc.Client(`127.0.0.1:${port}`, channel, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
  }
  const who = (c: grpc.Client) =>
    new Promise<string>((resolve, reject) =>
      c.makeUnaryRequest(WHO, passThrough, passThrough, Buffer.alloc(0), { deadline: Date.now() + 5000 }, (err, reply) => (err ? reject(err) : resolve(reply!.toString()))),
    );

  it("reads each connection's certificate once, and tells connections apart", async () => {
    const a = client({ ...nodeCert(root, keys[1], 'worker1', 'worker'), ca: root.certPem });
    const b = client({ ...nodeCert(root, keys[2], 'worker2', 'worker'), ca: root.certPem });
    reads = 0;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await who(a), await who(b));
    expect(answers).toEqual(Array.from({ length: 5 }, () => ['worker1', 'worker2']).flat());
    expect(reads).toBe(2);
    a.close();
    b.close();
  });

  it('remembers nothing for a connection without a client certificate', async () => {
    const anonymous = client({ ca: root.certPem });
    reads = 0;
    expect([await who(anonymous), await who(anonymous)]).toEqual(['nobody', 'nobody']);
    expect(reads).toBe(2);
    anonymous.close();
  });
});
