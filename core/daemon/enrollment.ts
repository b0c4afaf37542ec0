import type { CertificateAuthority, ClusterCA } from '../cluster/ca-contract';
import type { NodeCredentials } from '../cluster/credentials';
import { DEFAULT_CLUSTER_SETTINGS } from '../model/types';
import type { ClusterStore } from '../store/contract';
import type { NodeIdentity } from './identity';

/** Signs a manager's own certificate straight from the cluster's CA (managers hold it in their store). */
export async function issueOwnCertificate(ca: CertificateAuthority, clusterCA: ClusterCA, identity: NodeIdentity, now: Date): Promise<NodeCredentials> {
  const { keyPem, csrPem } = await ca.newKeyAndCSR();
  const certPem = ca.issue(clusterCA, { csrPem, nodeId: identity.nodeId, role: 'manager', clusterId: identity.clusterId, now });
  return { keyPem, certPem, rootsPem: ca.trustBundle(clusterCA) };
}

/**
 * Makes a new cluster: its cluster object with default settings and a new root CA in the store.
 * @returns this first manager's credentials.
 */
export async function bootstrapCluster(
  store: ClusterStore,
  ca: CertificateAuthority,
  identity: NodeIdentity,
  now: Date,
  settings: { readonly dispatcherHeartbeatMs?: number; readonly certExpiryMs?: number } = {},
): Promise<NodeCredentials> {
  const fresh = await ca.newClusterCA(identity.clusterId, now);
  const clusterCA = settings.certExpiryMs === undefined ? fresh : { ...fresh, certLifetimeMs: settings.certExpiryMs };
  await store.update((tx) => {
    if (!tx.clusters.get(identity.clusterId)) tx.clusters.create({
        id: identity.clusterId,
        name: 'default',
        settings: { ...DEFAULT_CLUSTER_SETTINGS, ...(settings.dispatcherHeartbeatMs !== undefined && { dispatcherHeartbeatMs: settings.dispatcherHeartbeatMs }) },
        ca: clusterCA,
      });
  });
  return issueOwnCertificate(ca, clusterCA, identity, now);
}
