import { X509Certificate } from 'node:crypto';
import {
  beginRootRotation,
  certificateDigest,
  createCSR,
  DEFAULT_NODE_CERT_LIFETIME_MS,
  finishRootRotation,
  issueNodeChain,
  joinTokens,
  newCAState,
  parseJoinToken,
  publicView,
  roleForToken,
  rotateTokens,
  trustBundle,
  verifyCertificate,
  type CAState,
  type KeyPairPem,
} from '../../../plugins/ca-forge';
import { CLUSTER, makeKeys } from './pki';
import { handshake } from './tls-harness';

const HOUR = 3_600_000;
const certCount = (pem: string): number => pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;

describe('CA state', () => {
  let state: CAState;
  let rotating: CAState;
  let rotated: CAState;
  let keys: KeyPairPem[];

  beforeAll(async () => {
    [state, keys] = await Promise.all([newCAState(CLUSTER, new Date(), 2 * HOUR), makeKeys(2)]);
    rotating = await beginRootRotation(state, new Date());
    rotated = finishRootRotation(rotating);
  });

  describe('a new CA', () => {
    it('has a root for the cluster, the lifetime asked for, and two different secrets', () => {
      expect(new X509Certificate(state.rootCertPem).toLegacyObject().subject).toEqual({ O: CLUSTER, CN: 'orch-ca' });
      expect(state.rootKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(state.certLifetimeMs).toBe(2 * HOUR);
      expect(state.workerSecret).toMatch(/^[0-9a-z]{25}$/);
      expect(state.managerSecret).toMatch(/^[0-9a-z]{25}$/);
      expect(state.workerSecret).not.toBe(state.managerSecret);
      expect(state.crossSignedPem).toBeUndefined();
      expect(state.previousRootCertPem).toBeUndefined();
    });

    it('defaults to 90-day certificates and refuses lifetimes under 30 s', async () => {
      await expect(newCAState(CLUSTER, new Date(), 29_999)).rejects.toThrow('invalid lifetimeMs 29999');
      await expect(newCAState('bad id', new Date())).rejects.toThrow('invalid clusterId "bad id"');
      expect(DEFAULT_NODE_CERT_LIFETIME_MS).toBe(90 * 24 * HOUR);
    });

    it('trusts its root only', () => {
      expect(trustBundle(state)).toBe(state.rootCertPem);
    });
  });

  describe('join tokens', () => {
    it('pin the current root and carry each role secret', () => {
      const tokens = joinTokens(state);
      expect(parseJoinToken(tokens.worker)).toEqual({ version: 1, caDigest: certificateDigest(state.rootCertPem), secret: state.workerSecret });
      expect(parseJoinToken(tokens.manager).secret).toBe(state.managerSecret);
      expect(roleForToken(state, tokens.worker)).toBe('worker');
      expect(roleForToken(state, tokens.manager)).toBe('manager');
    });

    it('rotate one role at a time: the old token stops working, the other role keeps its token', () => {
      const before = joinTokens(state);
      const after = rotateTokens(state, 'worker');
      expect(after.managerSecret).toBe(state.managerSecret);
      expect(after.workerSecret).not.toBe(state.workerSecret);
      expect(roleForToken(after, before.worker)).toBeUndefined();
      expect(roleForToken(after, before.manager)).toBe('manager');
      expect(roleForToken(after, joinTokens(after).worker)).toBe('worker');
      const managerRotated = rotateTokens(state, 'manager');
      expect(roleForToken(managerRotated, before.manager)).toBeUndefined();
      expect(roleForToken(managerRotated, before.worker)).toBe('worker');
    });

    it('refuse a malformed token with a clear error', () => {
      expect(() => roleForToken(state, 'SWMTKN-1-x')).toThrow('invalid join token: expected SWMTKN-1-<CA digest>-<secret>');
    });
  });

  describe('issuing', () => {
    it('issues a node certificate from a CSR with the CA lifetime, the cluster ID from the root and the SANs asked for', () => {
      const now = new Date();
      const chain = issueNodeChain(state, { csrPem: createCSR(keys[0]), nodeId: 'node1', role: 'manager', now, sans: ['10.1.2.3'] });
      expect(certCount(chain)).toBe(1);
      const verified = verifyCertificate(chain, [trustBundle(state)], now);
      expect(verified.identity).toEqual({ nodeId: 'node1', role: 'manager', clusterId: CLUSTER });
      expect(verified.notAfter.getTime() - verified.notBefore.getTime()).toBe(3 * HOUR);
      expect(new X509Certificate(chain).subjectAltName).toBe('DNS:localhost, IP Address:10.1.2.3');
    });

    it('refuses a bad request naming the field', () => {
      expect(() => issueNodeChain(state, { publicKeyPem: keys[0].publicKeyPem, nodeId: 'a b', role: 'worker', now: new Date() })).toThrow(
        'invalid nodeId "a b"',
      );
    });
  });

  describe('root rotation', () => {
    it('signs with a new root, keeps trusting the old one and cross-signs the new one', () => {
      expect(rotating.rootCertPem).not.toBe(state.rootCertPem);
      expect(rotating.rootKeyPem).not.toBe(state.rootKeyPem);
      expect(rotating.previousRootCertPem).toBe(state.rootCertPem);
      expect(certCount(trustBundle(rotating))).toBe(2);
      const cross = new X509Certificate(rotating.crossSignedPem!);
      expect(cross.checkIssued(new X509Certificate(state.rootCertPem))).toBe(true);
      expect(cross.publicKey.equals(new X509Certificate(rotating.rootCertPem).publicKey)).toBe(true);
    });

    it('keeps the token secrets, now pinning the new root', () => {
      expect([rotating.workerSecret, rotating.managerSecret]).toEqual([state.workerSecret, state.managerSecret]);
      expect(parseJoinToken(joinTokens(rotating).worker).caDigest).toBe(certificateDigest(rotating.rootCertPem));
    });

    it('hands out chains that nodes trusting only the old root accept, over TLS too', async () => {
      const chain = issueNodeChain(rotating, { publicKeyPem: keys[0].publicKeyPem, nodeId: 'node1', role: 'manager', now: new Date() });
      expect(certCount(chain)).toBe(2);
      expect(verifyCertificate(chain, [state.rootCertPem]).identity.nodeId).toBe('node1');
      const oldNode = issueNodeChain(state, { publicKeyPem: keys[1].publicKeyPem, nodeId: 'node2', role: 'worker', now: new Date() });
      const result = await handshake(
        { key: keys[0].privateKeyPem, cert: chain, ca: trustBundle(rotating) },
        { key: keys[1].privateKeyPem, cert: oldNode, ca: trustBundle(state) },
      );
      expect(result).toMatchObject({ ok: true, clientSaw: { CN: 'node1' }, serverSaw: { CN: 'node2' } });
    });

    it('refuses to start a second rotation before the first is finished', async () => {
      await expect(beginRootRotation(rotating, new Date())).rejects.toThrow('a root rotation is already in progress; finish it first');
    });

    it('finishes by dropping the old root and the cross-signed one', () => {
      expect(rotated).toEqual({
        rootCertPem: rotating.rootCertPem,
        rootKeyPem: rotating.rootKeyPem,
        certLifetimeMs: state.certLifetimeMs,
        workerSecret: state.workerSecret,
        managerSecret: state.managerSecret,
      });
      expect(trustBundle(rotated)).toBe(rotating.rootCertPem);
      const oldNode = issueNodeChain(state, { publicKeyPem: keys[1].publicKeyPem, nodeId: 'node2', role: 'worker', now: new Date() });
      expect(() => verifyCertificate(oldNode, [trustBundle(rotated)])).toThrow('certificate is not signed by a trusted root');
      expect(certCount(issueNodeChain(rotated, { publicKeyPem: keys[0].publicKeyPem, nodeId: 'node1', role: 'worker', now: new Date() }))).toBe(1);
    });

    it('refuses to finish when no rotation is in progress', () => {
      expect(() => finishRootRotation(state)).toThrow('no root rotation is in progress');
    });
  });

  describe('publicView', () => {
    it('strips the private key and the token secrets', () => {
      expect(publicView(state)).toEqual({ rootCertPem: state.rootCertPem, certLifetimeMs: state.certLifetimeMs });
      expect(publicView(rotating)).toEqual({
        rootCertPem: rotating.rootCertPem,
        crossSignedPem: rotating.crossSignedPem,
        previousRootCertPem: rotating.previousRootCertPem,
        certLifetimeMs: rotating.certLifetimeMs,
      });
      const text = JSON.stringify(publicView({ ...rotating, extra: 'secret-field' } as CAState));
      for (const secret of [rotating.rootKeyPem, rotating.workerSecret, rotating.managerSecret, 'secret-field']) expect(text).not.toContain(secret);
    });
  });
});
