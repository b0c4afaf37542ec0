import { identityFromSubject } from '../../../core/cluster/identity';
import type { CertifiedKey, KeyPairPem } from '../../../plugins/ca-forge';
import { CLUSTER, makeKeys, makeRoot, nodeCert } from './pki';
import { handshake, type TlsParty } from './tls-harness';

const HOUR = 3_600_000;

describe('mutual TLS with node certificates', () => {
  let root: CertifiedKey;
  let otherRoot: CertifiedKey;
  let keys: KeyPairPem[];
  let manager: TlsParty;
  let worker: TlsParty;

  beforeAll(async () => {
    [root, otherRoot, keys] = await Promise.all([makeRoot(), makeRoot('cluster2'), makeKeys(2)]);
    manager = { ...nodeCert(root, keys[0], 'manager1', 'manager'), ca: root.certPem };
    worker = { ...nodeCert(root, keys[1], 'worker1', 'worker'), ca: root.certPem };
  });

  it('connects two nodes of the same root, and each reads the other identity from its subject', async () => {
    const result = await handshake(manager, worker);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.serverSaw).toMatchObject({ CN: 'worker1', OU: 'orch-worker', O: CLUSTER });
    expect(identityFromSubject(result.serverSaw)).toEqual({ nodeId: 'worker1', role: 'worker', clusterId: CLUSTER });
    expect(identityFromSubject(result.clientSaw)).toEqual({ nodeId: 'manager1', role: 'manager', clusterId: CLUSTER });
  });

  it('refuses a client certificate from another root at the handshake', async () => {
    const stranger = { ...nodeCert(otherRoot, keys[1], 'worker1', 'worker', { clusterId: 'cluster2' }), ca: root.certPem };
    const result = await handshake(manager, stranger);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE$/) });
  });

  it('refuses a server certificate from another root at the handshake', async () => {
    const stranger = { ...nodeCert(otherRoot, keys[0], 'manager1', 'manager', { clusterId: 'cluster2' }), ca: root.certPem };
    const result = await handshake(stranger, worker);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^UNABLE_TO_VERIFY_LEAF_SIGNATURE/) });
  });

  it('refuses an expired client certificate', async () => {
    const expired = { ...nodeCert(root, keys[1], 'worker1', 'worker', { now: new Date(Date.now() - 3 * HOUR), lifetimeMs: HOUR }), ca: root.certPem };
    const result = await handshake(manager, expired);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/CERT_HAS_EXPIRED$/) });
  });

  it('refuses an expired server certificate', async () => {
    const expired = { ...nodeCert(root, keys[0], 'manager1', 'manager', { now: new Date(Date.now() - 3 * HOUR), lifetimeMs: HOUR }), ca: root.certPem };
    const result = await handshake(expired, worker);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^CERT_HAS_EXPIRED/) });
  });

  it('refuses a client without a certificate', async () => {
    const result = await handshake(manager, { key: '', cert: '', ca: root.certPem });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/UNABLE_TO_GET_ISSUER_CERT$/) });
  });
});
