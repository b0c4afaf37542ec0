import type { Logger } from 'pino';
import type { CertificateAuthority } from '../cluster/ca-contract';
import { callCA } from '../cluster/ca-client';
import type { ClusterDialer } from '../cluster/contract';
import { saveCredentials } from '../cluster/credentials';
import type { NodeRole } from '../model/types';
import { saveIdentity, type NodeIdentity } from './identity';
import { dataPaths } from './paths';

export interface RoleSwitchDeps {
  readonly identity: NodeIdentity;
  readonly dataDir: string;
  readonly ca: CertificateAuthority;
  readonly dialer: ClusterDialer;
  /** A manager to renew the certificate with (the leader, when known). */
  managerAddr(): string;
  /** Restarts the daemon, which then starts in the role its identity names. */
  restart(): void;
  readonly log: Logger;
}

/**
 * Follows the role the cluster gives this node (promotion, demotion): when it differs from the node's
 * own, renews the certificate (the CA issues it with the new role), records the new role in the node's
 * identity, and restarts the daemon in that role. Returns the function to call with each role heard;
 * a failed attempt is retried with the next one.
 */
export function roleSwitch(deps: RoleSwitchDeps): (role: NodeRole) => void {
  let busy = false;
  return (role) => {
    if (role === deps.identity.role || busy) return;
    busy = true;
    switchTo(deps, role).then(
      (done) => {
        busy = done;
        if (done) deps.restart();
      },
      (err: Error) => {
        busy = false;
        deps.log.warn({ role, err: err.message }, 'could not change role yet; retrying');
      },
    );
  };
}

/** Renews into `role` and records it; false when the CA did not issue that role (yet). */
async function switchTo(deps: RoleSwitchDeps, role: NodeRole): Promise<boolean> {
  const addr = deps.managerAddr();
  const { keyPem, csrPem } = await deps.ca.newKeyAndCSR();
  const issued = await callCA(addr, deps.dialer.managerCredentials(), 'RenewNodeCertificate', { csrPem });
  if (issued.role !== role) return false;
  saveCredentials(deps.dataDir, { keyPem, certPem: issued.certPem, rootsPem: issued.rootsPem });
  saveIdentity(dataPaths(deps.dataDir).identity, { ...deps.identity, role, managerAddr: deps.identity.managerAddr ?? addr });
  deps.log.info({ from: deps.identity.role, to: role }, 'the cluster changed this node\'s role: restarting in the new role');
  return true;
}
