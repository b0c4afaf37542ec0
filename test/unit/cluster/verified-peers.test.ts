import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { parseBundle } from '../../../core/cluster/peer-verify';
import { VerifiedPeers } from '../../../core/cluster/verified-peers';
import { createCSR, createRootCA, generateKeyPair, issueNodeCertificate } from '../../../plugins/ca-forge';

const CLUSTER = 'cluster1';
const NOW = new Date('2026-06-01T12:00:00Z');

/** What a TLS socket's getPeerCertificate gives for a certificate, in the fields the cache reads. */
function peerOf(pem: string): PeerCertificate {
  const x = new X509Certificate(pem);
  return { raw: x.raw, fingerprint256: x.fingerprint256, valid_from: x.validFrom, valid_to: x.validTo } as PeerCertificate;
}

describe('VerifiedPeers (the listener\'s memory of verified callers)', () => {
  let root: { certPem: string; keyPem: string };
  let other: { certPem: string; keyPem: string };
  let peer: PeerCertificate;

  beforeAll(async () => {
    root = await createRootCA({ clusterId: CLUSTER, now: NOW });
    other = await createRootCA({ clusterId: 'elsewhere', now: NOW });
    const csrPem = createCSR(await generateKeyPair());
    peer = peerOf(issueNodeCertificate({ ca: root, csrPem, nodeId: 'node1', role: 'worker', clusterId: CLUSTER, now: NOW, lifetimeMs: 3600_000 }));
  });

  it('verifies a certificate once and answers from memory after', () => {
    const peers = new VerifiedPeers(parseBundle(root.certPem));
    expect(peers.verify(peer, NOW)).toEqual({ nodeId: 'node1', role: 'worker', clusterId: CLUSTER });
    // A remembered certificate is not parsed again: garbage bytes under the same fingerprint still pass.
    expect(peers.verify({ ...peer, raw: Buffer.from('nope') }, NOW)).toEqual({ nodeId: 'node1', role: 'worker', clusterId: CLUSTER });
  });

  it('still refuses a remembered certificate once it has expired', () => {
    const peers = new VerifiedPeers(parseBundle(root.certPem));
    peers.verify(peer, NOW);
    expect(peers.verify(peer, new Date(NOW.getTime() + 2 * 3600_000))).toEqual({ refused: expect.stringMatching(/is not valid now/) });
  });

  it('forgets everything when the roots change', () => {
    const peers = new VerifiedPeers(parseBundle(root.certPem));
    peers.verify(peer, NOW);
    peers.reset(parseBundle(other.certPem));
    expect(peers.verify(peer, NOW)).toEqual({ refused: "the client certificate is not signed by this cluster's CA" });
  });
});
