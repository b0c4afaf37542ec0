import type { Logger } from 'pino';
import type { NodeCredentials } from '../cluster/credentials';
import { rootAction } from '../cluster/follow-root';

/** How often a worker asks its manager about the CA. */
export const ROOT_POLL_MS = 3000;

export interface RootFollowerDeps {
  /** The CA's current root and trust bundle (from the store on a manager, from a manager on a worker). */
  readonly status: () => Promise<{ readonly rootCertPem: string; readonly rootsPem: string }>;
  readonly credentials: () => NodeCredentials;
  /** Gets a certificate signed by the current root. */
  renew(): Promise<void>;
  /** Trusts `rootsPem` from now on. */
  updateRoots(rootsPem: string): void;
  readonly log: Logger;
}

/** Brings a node's credentials in line with its cluster's CA once (see rootAction). */
export async function followRoot(d: RootFollowerDeps): Promise<void> {
  const { rootCertPem, rootsPem } = await d.status();
  const action = rootAction(d.credentials(), rootCertPem, rootsPem);
  if (action === 'renew') {
    d.log.info('the cluster has a new root CA: renewing this node\'s certificate');
    await d.renew();
  } else if (action === 'update-roots') {
    d.log.info('the cluster trusts other roots now: updating this node\'s trust bundle');
    d.updateRoots(rootsPem);
  }
}

/** Follows the CA by polling (on workers): runs `followRoot` every `everyMs` until stopped. */
export function pollRoot(d: RootFollowerDeps, everyMs = ROOT_POLL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await followRoot(d);
    } catch (err) {
      d.log.debug({ err: (err as Error).message }, 'could not check the cluster CA');
    }
    if (!stopped) timer = setTimeout(tick, everyMs).unref();
  };
  timer = setTimeout(tick, everyMs).unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
