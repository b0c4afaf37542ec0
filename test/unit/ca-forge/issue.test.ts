import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { identityFromSubject } from '../../../core/cluster/identity';
import {
  createCSR,
  DEFAULT_NODE_CERT_LIFETIME_MS,
  issueNodeCertificate,
  type CertifiedKey,
  type KeyPairPem,
  type NodeCertificateOptions,
} from '../../../plugins/ca-forge';
import { CLUSTER, makeKeys, makeRoot, NOW } from './pki';

const HOUR = 3_600_000;

describe('issueNodeCertificate', () => {
  let root: CertifiedKey;
  let otherRoot: CertifiedKey;
  let keys: KeyPairPem;
  let base: NodeCertificateOptions & { publicKeyPem: string };
  const issue = (over: Partial<NodeCertificateOptions> = {}): X509Certificate => new X509Certificate(issueNodeCertificate({ ...base, ...over }));

  beforeAll(async () => {
    [root, otherRoot, [keys]] = await Promise.all([makeRoot(), makeRoot(), makeKeys(1)]);
    base = { ca: root, publicKeyPem: keys.publicKeyPem, nodeId: 'node1', role: 'worker', clusterId: CLUSTER, now: NOW };
  });

  it('puts node ID, role and cluster ID in the subject, where Node and identityFromSubject read them', () => {
    for (const role of ['worker', 'manager'] as const) {
      const subject = issue({ role }).toLegacyObject().subject;
      expect(subject).toEqual({ O: CLUSTER, OU: `orch-${role}`, CN: 'node1' });
      expect(identityFromSubject(subject)).toEqual({ nodeId: 'node1', role, clusterId: CLUSTER });
    }
  });

  it('is signed by the CA, names its key, and is no CA itself', () => {
    const cert = issue();
    const ca = new X509Certificate(root.certPem);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    const akid = forge.pki.certificateFromPem(issueNodeCertificate(base)).getExtension('authorityKeyIdentifier') as { value: string };
    const skid = forge.pki.certificateFromPem(root.certPem).getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier: string };
    expect(forge.util.bytesToHex(akid.value)).toContain(skid.subjectKeyIdentifier);
  });

  it('is for server and client auth, with SAN localhost plus the given IPs and names', () => {
    const cert = issue({ sans: ['10.0.0.7', 'node1.example', '::1', 'localhost'] });
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:10.0.0.7, DNS:node1.example, IP Address:0:0:0:0:0:0:0:1');
    expect(issue().subjectAltName).toBe('DNS:localhost');
  });

  it('is backdated 1 h and lives 90 days by default, or as asked', () => {
    const parsed = forge.pki.certificateFromPem(issueNodeCertificate(base));
    expect(parsed.validity.notBefore).toEqual(new Date(NOW.getTime() - HOUR));
    expect(parsed.validity.notAfter).toEqual(new Date(NOW.getTime() + DEFAULT_NODE_CERT_LIFETIME_MS));
    expect(DEFAULT_NODE_CERT_LIFETIME_MS).toBe(90 * 24 * HOUR);
    expect(new Date(issue({ lifetimeMs: HOUR }).validTo)).toEqual(new Date(NOW.getTime() + HOUR));
  });

  it.each([29_999, 0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a lifetime of %p ms', (lifetimeMs) => {
    expect(() => issue({ lifetimeMs })).toThrow(`invalid lifetimeMs ${lifetimeMs}: node certificates live at least 30 s`);
  });

  it('takes the key from a CSR, checking its signature', () => {
    const fromCsr = new X509Certificate(issueNodeCertificate({ ...base, publicKeyPem: undefined, csrPem: createCSR({ ...keys, nodeId: 'ignored' }) } as never));
    expect(fromCsr.publicKey.equals(issue().publicKey)).toBe(true);
    expect(fromCsr.toLegacyObject().subject.CN).toBe('node1');
    const { publicKeyPem: _unused, ...rest } = base;
    expect(() => issueNodeCertificate({ ...rest, csrPem: 'nonsense' })).toThrow('invalid CSR: expected a PEM "CERTIFICATE REQUEST" block');
  });

  it.each([
    [{ nodeId: '' }, 'invalid nodeId ""'],
    [{ nodeId: 'a/b' }, 'invalid nodeId "a/b"'],
    [{ nodeId: 'x'.repeat(65) }, 'invalid nodeId'],
    [{ clusterId: 'c=1' }, 'invalid clusterId "c=1"'],
    [{ role: 'admin' as never }, 'invalid role "admin": expected "manager" or "worker"'],
    [{ sans: ['not a name'] }, 'invalid SAN "not a name": expected an IP address or a DNS name'],
    [{ sans: [''] }, 'invalid SAN ""'],
  ])('refuses %p', (over, message) => {
    expect(() => issue(over)).toThrow(message);
  });

  it('refuses a CA whose key does not belong to its certificate', () => {
    expect(() => issue({ ca: { certPem: root.certPem, keyPem: otherRoot.keyPem } })).toThrow('CA private key does not match');
    expect(() => issue({ ca: { certPem: 'x', keyPem: root.keyPem } })).toThrow('invalid CA certificate: expected a PEM "CERTIFICATE" block');
  });
});
