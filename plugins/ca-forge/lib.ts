import {
  beginRootRotation,
  finishRootRotation,
  issueNodeChain,
  joinTokens,
  newCAState,
  publicView,
  roleForToken,
  rotateTokens,
  trustBundle,
} from './ca-state';
import { createCSR, parseCSR } from './csr';
import { issueNodeCertificate } from './issue';
import { makeJoinToken, newTokenSecret, parseJoinToken, tokenMatches } from './join-token';
import { generateKeyPair } from './keys';
import { needsRenewal, renewalTime } from './renewal';
import { createRootCA } from './root-ca';
import { crossSign } from './rotation';
import { certificateDigest, verifyCertificate } from './verify';

/** Everything the CA library does, bundled as the provider the plugin registers. */
export const certificateAuthority = Object.freeze({
  generateKeyPair,
  createRootCA,
  createCSR,
  parseCSR,
  issueNodeCertificate,
  verifyCertificate,
  certificateDigest,
  makeJoinToken,
  newTokenSecret,
  parseJoinToken,
  tokenMatches,
  renewalTime,
  needsRenewal,
  crossSign,
  newCAState,
  rotateTokens,
  joinTokens,
  roleForToken,
  trustBundle,
  issueNodeChain,
  beginRootRotation,
  finishRootRotation,
  publicView,
});

/** The CA library's shape: what `CertificateAuthorityToken` resolves to. */
export type CertificateAuthorityLib = typeof certificateAuthority;
