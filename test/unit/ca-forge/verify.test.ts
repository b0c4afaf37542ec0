import { base36 } from '../../../plugins/ca-forge/base36';
import { certificateDigest, verifyCertificate, type CertifiedKey, type KeyPairPem } from '../../../plugins/ca-forge';
import { KNOWN_ROOT_DIGEST, KNOWN_ROOT_PEM } from './known-root';
import { CLUSTER, makeKeys, makeRoot, nodeCert } from './pki';

const HOUR = 3_600_000;

describe('verifyCertificate', () => {
  let root: CertifiedKey;
  let otherRoot: CertifiedKey;
  let keys: KeyPairPem;
  beforeAll(async () => {
    [root, otherRoot, [keys]] = await Promise.all([makeRoot(), makeRoot('cluster2'), makeKeys(1)]);
  });

  it('returns the identity and validity of a certificate signed by a trusted root', () => {
    const now = new Date();
    const { cert } = nodeCert(root, keys, 'node1', 'manager', { now });
    expect(verifyCertificate(cert, [otherRoot.certPem, root.certPem], now)).toEqual({
      identity: { nodeId: 'node1', role: 'manager', clusterId: CLUSTER },
      notBefore: new Date(Math.floor(now.getTime() / 1000) * 1000 - HOUR),
      notAfter: new Date(Math.floor(now.getTime() / 1000) * 1000 + 90 * 24 * HOUR),
    });
  });

  it('refuses a certificate from another root', () => {
    const { cert } = nodeCert(otherRoot, keys, 'node1', 'worker', { clusterId: 'cluster2' });
    expect(() => verifyCertificate(cert, [root.certPem])).toThrow('certificate is not signed by a trusted root');
  });

  it('refuses an expired or not yet valid certificate, saying when', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const { cert } = nodeCert(root, keys, 'node1', 'worker', { now: new Date('2026-05-01T00:00:00Z'), lifetimeMs: HOUR });
    expect(() => verifyCertificate(cert, [root.certPem], now)).toThrow(
      'certificate expired at 2026-05-01T01:00:00.000Z (now 2026-06-01T00:00:00.000Z)',
    );
    expect(() => verifyCertificate(cert, [root.certPem], new Date('2026-04-30T00:00:00Z'))).toThrow(
      'certificate is not valid before 2026-04-30T23:00:00.000Z',
    );
  });

  it('refuses a certificate that is not a node certificate', () => {
    expect(() => verifyCertificate(root.certPem, [root.certPem])).toThrow('certificate is not an orch node certificate');
  });

  it.each([
    ['no certificate', '', [KNOWN_ROOT_PEM], 'invalid certificate: expected a PEM "CERTIFICATE" block'],
    ['a malformed certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', [KNOWN_ROOT_PEM], /^invalid certificate: /],
    ['a malformed root', KNOWN_ROOT_PEM, ['garbage'], 'invalid root certificate: expected a PEM "CERTIFICATE" block'],
    ['no roots', KNOWN_ROOT_PEM, [], 'certificate is not signed by a trusted root'],
  ])('refuses %s with a clear error', (_what, cert, roots, message) => {
    expect(() => verifyCertificate(cert, roots, new Date('2026-06-01T00:00:00Z'))).toThrow(message);
  });
});

describe('certificateDigest', () => {
  it('is the SHA-256 of the DER in base 36, 50 characters, stable for a known certificate', () => {
    expect(certificateDigest(KNOWN_ROOT_PEM)).toBe(KNOWN_ROOT_DIGEST);
    expect(certificateDigest(KNOWN_ROOT_PEM.replace(/\n/g, '\r\n'))).toBe(KNOWN_ROOT_DIGEST);
    expect(KNOWN_ROOT_DIGEST).toHaveLength(50);
  });

  it('pads with leading zeros', () => {
    expect(base36(Buffer.from([1]), 50)).toBe(`${'0'.repeat(49)}1`);
    expect(base36(Buffer.alloc(32, 0xff), 50)).toHaveLength(50);
    expect(base36(Buffer.from([35]), 3)).toBe('00z');
  });

  it('refuses something that is not a certificate', () => {
    expect(() => certificateDigest('nope')).toThrow('invalid CA certificate: expected a PEM "CERTIFICATE" block');
  });
});
