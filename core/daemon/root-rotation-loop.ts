import type { Logger } from 'pino';
import type { CertificateAuthority } from '../cluster/ca-contract';
import { clusterCA } from '../cluster/ca-service';
import type { ChangeEvent, ClusterStore } from '../store/contract';
import { ControlLoop } from '../util/control-loop';
import { followRoot, type RootFollowerDeps } from './root-follower';

/**
 * On a manager: follows the CA in the store (renews its own certificate when a root rotation begins,
 * updates its trust when one ends) and ends a rotation once every node holds a certificate from the
 * new root — from then on the old root is no longer trusted anywhere.
 */
export class RootRotationLoop extends ControlLoop {
  constructor(
    store: ClusterStore,
    log: Logger,
    private readonly ca: CertificateAuthority,
    private readonly self: Omit<RootFollowerDeps, 'status' | 'log'>,
  ) {
    super(store, log, { name: 'root-rotation' });
  }

  protected *keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'clusters' || e.table === 'nodes') yield 'ca';
  }

  protected async reconcile(): Promise<void> {
    await followRoot({
      ...this.self,
      log: this.log,
      status: async () => {
        const { ca } = clusterCA(this.store);
        return { rootCertPem: ca.rootCertPem, rootsPem: this.ca.trustBundle(ca) };
      },
    });
    await this.finishIfDone();
  }

  private async finishIfDone(): Promise<void> {
    const { cluster, ca } = clusterCA(this.store);
    if (!ca.previousRootCertPem) return;
    const digest = this.ca.certificateDigest(ca.rootCertPem);
    if (!this.store.view((r) => r.nodes.all().every((n) => n.tlsRoot === digest))) return;
    await this.store.update((tx) => {
      const c = tx.clusters.get(cluster.id);
      if (c?.ca?.previousRootCertPem) tx.clusters.update({ ...c, ca: this.ca.finishRootRotation(c.ca) });
    });
    this.log.info('root rotation complete: every node has a certificate from the new root; the old root is no longer trusted');
  }
}
