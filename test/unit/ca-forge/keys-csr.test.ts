import { createPublicKey } from 'node:crypto';
import { createCSR, generateKeyPair, parseCSR, type KeyPairPem } from '../../../plugins/ca-forge';
import { makeKeys } from './pki';

describe('generateKeyPair', () => {
  it('makes an RSA 2048 key pair in PKCS#8 and SPKI PEM', async () => {
    const { privateKeyPem, publicKeyPem } = await generateKeyPair();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const key = createPublicKey(privateKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(key.export({ type: 'spki', format: 'pem' })).toBe(publicKeyPem);
  });
});

describe('createCSR / parseCSR', () => {
  let keys: KeyPairPem[];
  beforeAll(async () => {
    keys = await makeKeys(2);
  });

  it('round-trips the public key, with or without a node ID', () => {
    for (const nodeId of ['node1', undefined]) {
      const csrPem = createCSR({ ...keys[0], nodeId });
      expect(csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
      expect(parseCSR(csrPem).publicKeyPem).toBe(keys[0].publicKeyPem);
    }
  });

  it('refuses to sign with a private key that does not belong to the public key', () => {
    expect(() => createCSR({ privateKeyPem: keys[1].privateKeyPem, publicKeyPem: keys[0].publicKeyPem })).toThrow(
      'private key does not match the public key it should sign for',
    );
  });

  it('refuses an invalid node ID', () => {
    expect(() => createCSR({ ...keys[0], nodeId: 'a,OU=orch-manager' })).toThrow(/^invalid nodeId "a,OU=orch-manager": expected/);
  });

  it.each([
    ['an empty string', '', 'invalid CSR: expected a PEM "CERTIFICATE REQUEST" block'],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'invalid CSR: expected a PEM "CERTIFICATE REQUEST" block'],
    ['garbage in the block', '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n', /^invalid CSR: /],
  ])('refuses %s with a clear error', (_what, pem, message) => {
    expect(() => parseCSR(pem)).toThrow(message);
  });

  it('refuses a request whose signature does not verify', () => {
    const csrPem = createCSR({ ...keys[0], nodeId: 'node1' });
    const body = csrPem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    const der = Buffer.from(body, 'base64');
    der[der.length - 10] ^= 0xff; // inside the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(() => parseCSR(tampered)).toThrow('invalid CSR: its signature does not verify');
  });
});
