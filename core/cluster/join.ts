import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { OrchError } from '../errors';
import type { CertificateAuthority } from './ca-contract';
import { callCA } from './ca-client';
import type { IssuedCertificate } from './ca-service';
import type { NodeCredentials } from './credentials';
import { serverIdentityCheck } from './dialer';

/** Splits `host:port`. */
export function splitHostPort(addr: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(addr);
  if (!m) throw new OrchError('invalid', `"${addr}" is not an address: expected HOST:PORT`, 'address');
  return { host: m[1], port: Number(m[2]) };
}

/**
 * Where other managers reach this node's cluster listener: the advertise address, with the listen
 * address's port when the advertise address names a host only (as swarm mode does).
 */
export function clusterAddress(advertiseAddr: string, listenAddr: string): string {
  if (/^\[?[^\]]+?\]?:\d+$/.test(advertiseAddr) && !/^[0-9a-f:]+$/i.test(advertiseAddr)) return advertiseAddr;
  const host = advertiseAddr.includes(':') ? `[${advertiseAddr}]` : advertiseAddr;
  return `${host}:${splitHostPort(listenAddr).port}`;
}

/** PEM text of a DER certificate. */
function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`.replace(/\n\n/g, '\n');
}

/**
 * Reads the certificates a manager presents along its TLS chain (it sends its roots with it), trusting
 * nothing yet and sending nothing secret: the caller picks the root whose digest the join token names.
 */
export function fetchPresentedChain(addr: string, timeoutMs = 10_000): Promise<string[]> {
  const { host, port } = splitHostPort(addr);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'], timeout: timeoutMs }, () => {
      const chain: string[] = [];
      const seen = new Set<tls.DetailedPeerCertificate>();
      for (let cert = socket.getPeerCertificate(true); cert?.raw && !seen.has(cert); cert = cert.issuerCertificate) {
        seen.add(cert);
        chain.push(toPem(cert.raw));
      }
      socket.destroy();
      if (chain.length === 0) return reject(new OrchError('unavailable', `the manager at ${addr} presented no certificate`));
      resolve(chain);
    });
    socket.on('timeout', () => socket.destroy(new Error('timed out')));
    socket.on('error', (err) => reject(new OrchError('unavailable', `cannot reach the manager at ${addr}: ${err.message}`)));
  });
}

/** What a node needs to become a member: its identity and credentials. */
export interface Joined {
  readonly issued: IssuedCertificate;
  readonly credentials: NodeCredentials;
}

/**
 * Joins a cluster: pins the manager's CA by the token's digest (refusing a mismatch before anything
 * secret is sent), then trades the token and a CSR for a signed certificate over TLS verified against
 * that CA. Nothing is written; the caller stores the result.
 */
export async function joinCluster(ca: CertificateAuthority, args: { readonly token: string; readonly managerAddr: string; readonly addr: string; readonly hostname: string }): Promise<Joined> {
  const { caDigest } = ca.parseJoinToken(args.token);
  const rootPem = (await fetchPresentedChain(args.managerAddr)).find((pem) => ca.certificateDigest(pem) === caDigest);
  if (!rootPem) {
    throw new OrchError('unauthenticated', `the manager at ${args.managerAddr} has a different CA than the join token names (digest mismatch): not joining`);
  }
  const { keyPem, csrPem } = await ca.newKeyAndCSR();
  const pinned = grpc.credentials.createSsl(Buffer.from(rootPem), null, null, serverIdentityCheck(undefined, ['manager']));
  const issued = await callCA(args.managerAddr, pinned, 'IssueNodeCertificate', { token: args.token, csrPem, addr: args.addr, hostname: args.hostname });
  return { issued, credentials: { keyPem, certPem: issued.certPem, rootsPem: issued.rootsPem } };
}
