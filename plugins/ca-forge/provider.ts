import { randomInt } from 'node:crypto';
import type { CertificateAuthority } from '../../core/cluster/ca-contract';
import { beginRootRotation, finishRootRotation, issueNodeChain, joinTokens, newCAState, roleForToken, rotateTokens, trustBundle } from './ca-state';
import { createCSR } from './csr';
import { parseJoinToken } from './join-token';
import { BACKDATE_MS } from './certificate';
import { generateKeyPair } from './keys';
import { readX509 } from './pem';
import { renewalTime } from './renewal';
import { certificateDigest } from './verify';

/** The kernel's CertificateAuthority provider on top of the ca-forge library. */
export const forgeCertificateAuthority: CertificateAuthority = {
  newClusterCA: (clusterId, now) => newCAState(clusterId, now),
  async newKeyAndCSR() {
    const { privateKeyPem, publicKeyPem } = await generateKeyPair();
    return { keyPem: privateKeyPem, csrPem: createCSR({ privateKeyPem, publicKeyPem }) };
  },
  issue: (ca, req) => issueNodeChain(ca, { csrPem: req.csrPem, nodeId: req.nodeId, role: req.role, now: req.now }),
  trustBundle,
  joinToken: (ca, role) => joinTokens(ca)[role],
  roleForToken,
  parseJoinToken,
  certificateDigest,
  rotateToken: rotateTokens,
  /** Measured from the moment of issue, not from the backdated start: short lifetimes must renew in time. */
  renewalTime(certPem) {
    const [cert] = readX509(certPem, 'node certificate');
    const issuedAt = new Date(Date.parse(cert.validFrom) + BACKDATE_MS);
    return renewalTime(issuedAt, new Date(cert.validTo), randomInt(1_000_000) / 1_000_000);
  },
  beginRootRotation,
  finishRootRotation,
  signingRoot(ca, certPem) {
    const [leaf] = readX509(certPem, 'node certificate');
    const roots = [ca.rootCertPem, ...(ca.previousRootCertPem ? [ca.previousRootCertPem] : [])];
    const signer = roots.find((pem) => leaf.verify(readX509(pem, 'root certificate')[0].publicKey));
    return signer === undefined ? undefined : certificateDigest(signer);
  },
};
