import { X509Certificate } from 'node:crypto';
import { crossSign, verifyCertificate, type CertifiedKey, type KeyPairPem } from '../../../plugins/ca-forge';
import { makeKeys, makeRoot, nodeCert } from './pki';
import { handshake, type TlsParty } from './tls-harness';

const bundle = (...pems: string[]): string => pems.join('\n');

describe('root rotation by cross-signing', () => {
  let oldRoot: CertifiedKey;
  let newRoot: CertifiedKey;
  let intermediate: string;
  let keys: KeyPairPem[];
  /** Node certificates of each root, without the trust they will be given. */
  let oldNode: { key: string; cert: string };
  let newNode: { key: string; cert: string };
  /** A new-root node certificate with the cross-signed root after it, as the CA hands it out during a rotation. */
  let newNodeChain: { key: string; cert: string };

  beforeAll(async () => {
    [oldRoot, newRoot, keys] = await Promise.all([makeRoot(), makeRoot(), makeKeys(2)]);
    intermediate = crossSign({ newRoot, oldRoot });
    oldNode = nodeCert(oldRoot, keys[0], 'node-old', 'manager');
    newNode = nodeCert(newRoot, keys[1], 'node-new', 'worker');
    newNodeChain = { ...newNode, cert: bundle(newNode.cert, intermediate) };
  });

  it('makes a CA certificate with the new root subject and key, issued by the old root', () => {
    const cross = new X509Certificate(intermediate);
    const fresh = new X509Certificate(newRoot.certPem);
    const old = new X509Certificate(oldRoot.certPem);
    expect(cross.ca).toBe(true);
    expect(cross.subject).toBe(fresh.subject);
    expect(cross.publicKey.equals(fresh.publicKey)).toBe(true);
    expect(cross.checkIssued(old)).toBe(true);
    expect(cross.verify(old.publicKey)).toBe(true);
    expect([cross.validFrom, cross.validTo]).toEqual([fresh.validFrom, fresh.validTo]);
  });

  describe('during the rotation', () => {
    const trustOld = (node: { key: string; cert: string }): TlsParty => ({ ...node, ca: oldRoot.certPem });
    const trustBoth = (node: { key: string; cert: string }): TlsParty => ({ ...node, ca: bundle(newRoot.certPem, oldRoot.certPem) });

    it('an old-root-only client accepts a new-root server that sends the cross-signed root', async () => {
      const result = await handshake(trustBoth(newNodeChain), trustOld(oldNode));
      expect(result).toMatchObject({ ok: true, clientSaw: { CN: 'node-new' }, serverSaw: { CN: 'node-old' } });
    });

    it('an old-root-only server accepts a new-root client that sends the cross-signed root', async () => {
      const result = await handshake(trustOld(oldNode), trustBoth(newNodeChain));
      expect(result).toMatchObject({ ok: true, serverSaw: { CN: 'node-new' } });
    });

    it('an old-root-only client refuses a new-root server that does not send the cross-signed root', async () => {
      const result = await handshake(trustBoth(newNode), trustOld(oldNode));
      expect(result.ok).toBe(false);
    });

    it('a client trusting both roots accepts servers of either root, with or without the cross-signed root', async () => {
      for (const server of [oldNode, newNode, newNodeChain]) {
        expect(await handshake(trustBoth(server), trustBoth(oldNode))).toMatchObject({ ok: true });
      }
    });

    it('verifyCertificate follows the same chains', () => {
      expect(verifyCertificate(newNodeChain.cert, [oldRoot.certPem]).identity.nodeId).toBe('node-new');
      expect(verifyCertificate(newNodeChain.cert, [newRoot.certPem]).identity.nodeId).toBe('node-new');
      expect(verifyCertificate(oldNode.cert, [bundle(newRoot.certPem, oldRoot.certPem)]).identity.nodeId).toBe('node-old');
      expect(() => verifyCertificate(newNode.cert, [oldRoot.certPem])).toThrow('certificate is not signed by a trusted root');
    });
  });

  describe('after the rotation', () => {
    /** The old-root peer may send the old root along (OpenSSL completes its chain from its trust store). */
    const REFUSED = 'UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN';
    const trustNew = (node: { key: string; cert: string }): TlsParty => ({ ...node, ca: newRoot.certPem });

    it('a client trusting only the new root refuses a server certificate signed by the old root', async () => {
      const result = await handshake({ ...oldNode, ca: bundle(newRoot.certPem, oldRoot.certPem) }, trustNew(newNode));
      expect(result).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^(${REFUSED})`)) });
    });

    it('a server trusting only the new root refuses a client certificate signed by the old root', async () => {
      const result = await handshake(trustNew(newNode), { ...oldNode, ca: bundle(newRoot.certPem, oldRoot.certPem) });
      expect(result).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`(${REFUSED})$`)) });
    });

    it('new-root nodes still connect, with or without the cross-signed root in their chain', async () => {
      expect(await handshake(trustNew(newNodeChain), trustNew(newNode))).toMatchObject({ ok: true });
      expect(await handshake(trustNew(newNode), trustNew(newNodeChain))).toMatchObject({ ok: true });
    });

    it('verifyCertificate refuses an old-root certificate', () => {
      expect(() => verifyCertificate(oldNode.cert, [newRoot.certPem])).toThrow('certificate is not signed by a trusted root');
    });
  });
});
