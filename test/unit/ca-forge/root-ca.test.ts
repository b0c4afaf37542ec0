import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { createRootCA, ROOT_LIFETIME_MS, type CertifiedKey } from '../../../plugins/ca-forge';
import { NOW } from './pki';

const HOUR = 3_600_000;

describe('createRootCA', () => {
  let root: CertifiedKey;
  let cert: X509Certificate;
  let parsed: forge.pki.Certificate;
  beforeAll(async () => {
    root = await createRootCA({ clusterId: 'cluster1', now: NOW });
    cert = new X509Certificate(root.certPem);
    parsed = forge.pki.certificateFromPem(root.certPem);
  });

  it('is self-signed, CN orch-ca, O the cluster ID', () => {
    expect(cert.toLegacyObject().subject).toEqual({ O: 'cluster1', CN: 'orch-ca' });
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it('is a CA with path length 1 that signs certificates and CRLs, with SHA-256', () => {
    expect(parsed.getExtension('basicConstraints')).toMatchObject({ critical: true, cA: true, pathLenConstraint: 1 });
    expect(parsed.getExtension('keyUsage')).toMatchObject({ critical: true, keyCertSign: true, cRLSign: true, digitalSignature: false });
    expect(parsed.siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
    expect(parsed.getExtension('subjectKeyIdentifier')).toBeDefined();
  });

  it('has a positive random 16-byte serial', async () => {
    const other = new X509Certificate((await createRootCA({ clusterId: 'cluster1', now: NOW })).certPem);
    expect(cert.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(other.serialNumber).not.toBe(cert.serialNumber);
  });

  it('is backdated 1 h and lives 20 years by default, or as asked', async () => {
    expect(parsed.validity.notBefore).toEqual(new Date(NOW.getTime() - HOUR));
    expect(parsed.validity.notAfter).toEqual(new Date(NOW.getTime() + ROOT_LIFETIME_MS));
    expect(ROOT_LIFETIME_MS).toBe(20 * 365 * 24 * HOUR);
    const short = await createRootCA({ clusterId: 'cluster1', now: NOW, lifetimeMs: 2 * HOUR });
    expect(forge.pki.certificateFromPem(short.certPem).validity.notAfter).toEqual(new Date(NOW.getTime() + 2 * HOUR));
  });

  it('returns the private key of the certificate', () => {
    const key = forge.pki.privateKeyFromPem(root.keyPem);
    expect((parsed.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n)).toBe(true);
  });

  it('refuses a cluster ID that is not a plain name', async () => {
    await expect(createRootCA({ clusterId: 'x\nCN=evil', now: NOW })).rejects.toThrow(/^invalid clusterId "x\\nCN=evil": expected/);
    await expect(createRootCA({ clusterId: '', now: NOW })).rejects.toThrow('invalid clusterId ""');
  });
});
