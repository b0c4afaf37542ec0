import forge from 'node-forge';
import { ROLE_OU, type PeerRole } from '../../core/cluster/identity';

/** Common name of every orch root CA (swarm's is `swarm-ca`). */
export const ROOT_CN = 'orch-ca';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const UTF8 = forge.asn1.Type.UTF8 as number as forge.asn1.Class;

type Field = forge.pki.CertificateField;

const field = (shortName: string, value: string): Field => ({ shortName, value, valueTagClass: UTF8 });

/**
 * Checks a name that goes into a certificate subject (node ID, cluster ID): 1–64 letters, digits, `.`,
 * `_` or `-`, starting with a letter or digit — nothing a subject parser could misread.
 * @returns the name.
 * @throws `invalid <field> "…": …` otherwise.
 */
function checkName(fieldName: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new Error(
      `invalid ${fieldName} ${JSON.stringify(value)}: expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return value;
}

/** Subject of a root CA: O = cluster ID, CN = `orch-ca`. */
export function rootSubject(clusterId: string): Field[] {
  return [field('O', checkName('clusterId', clusterId)), field('CN', ROOT_CN)];
}

/** Subject of a node certificate: O = cluster ID, OU = the role's OU, CN = node ID. */
export function nodeSubject(nodeId: string, role: PeerRole, clusterId: string): Field[] {
  if (!Object.hasOwn(ROLE_OU, role)) throw new Error(`invalid role ${JSON.stringify(role)}: expected "manager" or "worker"`);
  return [field('O', checkName('clusterId', clusterId)), field('OU', ROLE_OU[role]), field('CN', checkName('nodeId', nodeId))];
}

/** Subject of a certificate request: CN = node ID when known, otherwise empty (the CA sets the subject). */
export function requestSubject(nodeId: string | undefined): Field[] {
  return nodeId === undefined ? [] : [field('CN', checkName('nodeId', nodeId))];
}

/**
 * Subject attributes of a parsed certificate in a form forge writes back unchanged: its parser leaves
 * UTF-8 values encoded, and its writer would encode them a second time.
 */
export function rewritable(attributes: readonly Field[]): Field[] {
  return attributes.map(({ type, value, valueTagClass }) => ({
    type,
    valueTagClass,
    value: valueTagClass === UTF8 && typeof value === 'string' ? forge.util.decodeUtf8(value) : value,
  }));
}
