import type { PeerCertificate } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { PeerIdentity } from './identity';
import { verifyPeerCertificate } from './peer-verify';

/** Certificates remembered at most; past that the memory starts afresh. */
const MAX_REMEMBERED = 20_000;

/**
 * Peer certificates already verified against the current roots, by fingerprint, with their validity
 * window: a node's every call presents the same certificate, and parsing and checking it anew each time
 * was most of a busy leader's CPU. A remembered certificate is still checked against the clock on every
 * call; refusals are not remembered; new roots (`reset`) forget everything.
 */
export class VerifiedPeers {
  private readonly known = new Map<string, { readonly identity: PeerIdentity; readonly from: number; readonly to: number }>();

  constructor(private roots: readonly X509Certificate[]) {}

  /** The peer's identity, or why its certificate is refused (see `verifyPeerCertificate`). */
  verify(peer: PeerCertificate, now: Date): PeerIdentity | { refused: string } {
    const hit = this.known.get(peer.fingerprint256);
    const t = now.getTime();
    if (hit && t >= hit.from && t <= hit.to) return hit.identity;
    const result = verifyPeerCertificate(peer.raw, this.roots, now);
    if ('refused' in result) return result;
    if (this.known.size >= MAX_REMEMBERED) this.known.clear();
    this.known.set(peer.fingerprint256, { identity: result, from: Date.parse(peer.valid_from), to: Date.parse(peer.valid_to) });
    return result;
  }

  /** Trusts `roots` from now on, forgetting every certificate verified against the old ones. */
  reset(roots: readonly X509Certificate[]): void {
    this.roots = roots;
    this.known.clear();
  }
}
