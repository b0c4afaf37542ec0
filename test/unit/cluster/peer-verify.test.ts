import { X509Certificate } from 'node:crypto';
import { parseBundle, verifyPeerCertificate } from '../../../core/cluster/peer-verify';
import { createCSR, createRootCA, generateKeyPair, issueNodeCertificate } from '../../../plugins/ca-forge';

const CLUSTER = 'cluster1';
const NOW = new Date('2026-06-01T12:00:00Z');

describe('verifyPeerCertificate (the listener\'s check of a caller)', () => {
  let root: { certPem: string; keyPem: string };
  let other: { certPem: string; keyPem: string };
  let csrPem: string;

  beforeAll(async () => {
    root = await createRootCA({ clusterId: CLUSTER, now: NOW });
    other = await createRootCA({ clusterId: 'elsewhere', now: NOW });
    const keys = await generateKeyPair();
    csrPem = createCSR(keys);
  });

  const cert = (ca: typeof root, issuedAt: Date, lifetimeMs = 3600_000) =>
    new X509Certificate(issueNodeCertificate({ ca, csrPem, nodeId: 'node1', role: 'worker', clusterId: CLUSTER, now: issuedAt, lifetimeMs })).raw;

  it('accepts a current certificate of the cluster and reads its identity', () => {
    expect(verifyPeerCertificate(cert(root, NOW), parseBundle(root.certPem), NOW)).toEqual({ nodeId: 'node1', role: 'worker', clusterId: CLUSTER });
  });

  it('refuses an expired certificate', () => {
    const result = verifyPeerCertificate(cert(root, new Date(NOW.getTime() - 2 * 3600_000), 60_000), parseBundle(root.certPem), NOW);
    expect(result).toEqual({ refused: expect.stringMatching(/is not valid now/) });
  });

  it('refuses a certificate from another CA', () => {
    expect(verifyPeerCertificate(cert(other, NOW), parseBundle(root.certPem), NOW)).toEqual({ refused: "the client certificate is not signed by this cluster's CA" });
  });

  it('refuses garbage', () => {
    expect(verifyPeerCertificate(Buffer.from('nope'), parseBundle(root.certPem), NOW)).toEqual({ refused: 'the client certificate cannot be parsed' });
  });
});
