import { generateKeyPair as generateNativeKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

/** A key pair in PEM: the private key as PKCS#8 (`PRIVATE KEY`), the public key as SPKI (`PUBLIC KEY`). */
export interface KeyPairPem {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

const generateNative = promisify(generateNativeKeyPair);

/**
 * Generates an RSA 2048 key pair with `node:crypto` (native and asynchronous: node-forge's keygen is pure
 * JavaScript and takes seconds, and forge cannot make EC certificates, so RSA it is).
 */
export async function generateKeyPair(): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateNative('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
