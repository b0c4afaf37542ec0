import type { NodeCredentials } from './credentials';
import { signedBy } from './peer-verify';

/** What a node must do to follow its cluster's CA. */
export type RootAction = 'renew' | 'update-roots' | 'none';

/**
 * Decides how a node follows its CA: a certificate not signed by the current root is renewed (a root
 * rotation began); trusted roots that differ from the cluster's are replaced (a rotation began or ended).
 */
export function rootAction(credentials: NodeCredentials, rootCertPem: string, rootsPem: string): RootAction {
  if (!signedBy(credentials.certPem, rootCertPem)) return 'renew';
  return credentials.rootsPem === rootsPem ? 'none' : 'update-roots';
}
